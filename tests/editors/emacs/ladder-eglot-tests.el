;;; ladder-eglot-tests.el --- ERT tests: ladder-mode with eglot and ladder lsp  -*- lexical-binding: t; -*-

;; Run by tests/scripts/eglot.sh:
;;   emacs -Q --batch -L DIR-OF-LADDER-MODE -L DIR-OF-EGLOT -l this-file \
;;         -f ert-run-tests-batch-and-exit
;; Environment: LADDER (the program), WORK (a scratch folder holding
;; main.ladder, which includes clients.ladder, and expected.txt: ladder
;; lint's gcc output for main.ladder).

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'eglot)
(require 'ladder-mode)

(defvar ladder-test-work (file-name-as-directory (getenv "WORK")))
(setq ladder-executable (getenv "LADDER"))
(setq ladder-lsp-initialization-options '(:today "2011-06-30"))
(setq eglot-sync-connect 10
      eglot-connect-timeout 20
      eglot-autoshutdown nil
      eglot-send-changes-idle-time 0)

(defun ladder-test-wait (pred &optional seconds)
  "Wait until PRED returns non-nil, at most SECONDS (default 20)."
  (let ((end (+ (float-time) (or seconds 20))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    v))

(defun ladder-test-expected ()
  "ladder lint's diagnostics for main.ladder: (LINE BYTE-COL TYPE RULE TEXT)."
  (let (out)
    (with-temp-buffer
      (insert-file-contents (expand-file-name "expected.txt" ladder-test-work))
      (dolist (line (split-string (buffer-string) "\n" t))
        (when (string-match ":\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\) \\[\\([a-z-]+\\)\\]\\'" line)
          (push (list (string-to-number (match-string 1 line))
                      (string-to-number (match-string 2 line))
                      (intern (concat "eglot-" (match-string 3 line)))
                      (match-string 5 line)
                      (match-string 4 line))
                out))))
    (sort out (lambda (a b) (or (< (car a) (car b))
                                (and (= (car a) (car b)) (< (cadr a) (cadr b))))))))

(defun ladder-test-diags ()
  "Flymake's diagnostics in this buffer: (LINE BYTE-COL TYPE RULE TEXT)."
  (let (out)
    (dolist (d (flymake-diagnostics))
      (let* ((beg (flymake-diagnostic-beg d))
             (text (flymake-diagnostic-text d))
             (line (line-number-at-pos beg))
             (col (save-excursion
                    (goto-char beg)
                    (1+ (- (position-bytes beg) (position-bytes (line-beginning-position)))))))
        (push (list line col (flymake-diagnostic-type d)
                    (and (string-match "\\`ladder \\[\\([a-z-]+\\)\\]: " text) (match-string 1 text))
                    (and (string-match "\\`ladder \\[[a-z-]+\\]: \\(.*\\)\\'" text) (match-string 1 text)))
              out)))
    (sort out (lambda (a b) (or (< (car a) (car b))
                                (and (= (car a) (car b)) (< (cadr a) (cadr b))))))))

(defun ladder-test-changed ()
  "Send the buffer's changes now: eglot sends them from an idle timer,
and batch Emacs is never idle."
  (eglot--signal-textDocument/didChange))

(defvar ladder-test-buffer nil "main.ladder, managed by eglot.")

(defun ladder-test-open ()
  "Visit main.ladder the way a user does and let eglot connect."
  (unless (and (buffer-live-p ladder-test-buffer)
               (with-current-buffer ladder-test-buffer (eglot-current-server)))
    (setq ladder-test-buffer
          (find-file-noselect (expand-file-name "main.ladder" ladder-test-work)))
    (with-current-buffer ladder-test-buffer
      ;; eglot-ensure connects after the next command, and flymake asks
      ;; its backends when idle: no command nor idle time in batch.
      (run-hooks 'post-command-hook)
      (ladder-test-wait (lambda () (eglot-managed-p)))
      (when flymake-mode (flymake-start))))
  ladder-test-buffer)

(ert-deftest ladder-test-eglot-1-registered ()
  "ladder-mode is in `eglot-server-programs', the contact runs `ladder lsp'."
  (should (alist-get 'ladder-mode eglot-server-programs))
  (with-temp-buffer
    (setq buffer-file-name (expand-file-name "x.ladder" ladder-test-work))
    (let ((ladder-use-eglot nil)) (ladder-mode))
    (let ((guess (eglot--guess-contact)))
      (should (equal (nth 0 guess) '(ladder-mode)))
      (should (equal (nth 3 guess)
                     (list ladder-executable "lsp"
                           :initializationOptions '(:today "2011-06-30"))))
      (should (equal (nth 4 guess) "ladder")))
    (setq buffer-file-name nil)))

(ert-deftest ladder-test-eglot-2-diagnostics ()
  "ladder-mode starts the server; flymake shows what ladder lint reports."
  (with-current-buffer (ladder-test-open)
    (should (eq major-mode 'ladder-mode))
    (should (eglot-current-server))
    (should (eglot-managed-p))
    (should (equal flymake-diagnostic-functions '(eglot-flymake-backend)))
    (should flymake-mode)
    (let ((want (ladder-test-expected)))
      (should (>= (length want) 2))
      (should (ladder-test-wait (lambda () (= (length (flymake-diagnostics)) (length want)))))
      (should (equal (ladder-test-diags) want)))))

(ert-deftest ladder-test-eglot-3-unsaved-edit ()
  "An edit, not saved, is linted: the unknown rung fixed, its error goes."
  (with-current-buffer (ladder-test-open)
    (should (ladder-test-wait
             (lambda () (cl-find "unknown-rung" (ladder-test-diags) :key #'cadddr :test #'equal))))
    (goto-char (point-min))
    (should (re-search-forward "^    ask   \\(intr\\) " nil t))
    (replace-match "intro" t t nil 1)
    (ladder-test-changed)
    (should (ladder-test-wait
             (lambda () (not (cl-find "unknown-rung" (ladder-test-diags) :key #'cadddr :test #'equal)))))
    (should (cl-find "overdue-next" (ladder-test-diags) :key #'cadddr :test #'equal))
    (should (buffer-modified-p))
    ;; Back as it was, and the error is back.
    (goto-char (point-min))
    (re-search-forward "^    ask   \\(intro\\) " nil t)
    (replace-match "intr" t t nil 1)
    (ladder-test-changed)
    (should (ladder-test-wait
             (lambda () (cl-find "unknown-rung" (ladder-test-diags) :key #'cadddr :test #'equal))))))

(ert-deftest ladder-test-eglot-4-completion ()
  "Completion at point offers the clients after a header's date."
  (with-current-buffer (ladder-test-open)
    (goto-char (point-max))
    (let ((start (point)))
      (insert "\n2011-03-10 * (call) Glo")
      (ladder-test-changed)
      (let* ((capf (eglot-completion-at-point))
             (all (and capf (all-completions "" (nth 2 capf)))))
        (should capf)
        (should (member "Globex Corp" all))
        (should (member "gx" all)))
      ;; And the command completes the name in the buffer.
      (let ((completion-styles '(basic)))
        (completion-at-point))
      (should (equal (buffer-substring (line-beginning-position) (line-end-position))
                     "2011-03-10 * (call) Globex Corp"))
      (delete-region start (point-max))
      (ladder-test-changed))))

(ert-deftest ladder-test-eglot-5-xref ()
  "xref on a client's name in an entry goes to its client directive, in
the included file."
  (with-current-buffer (ladder-test-open)
    (goto-char (point-min))
    (should (re-search-forward "^2011-02-14 \\* (call) Glo" nil t))
    (let ((xref-prompt-for-identifier nil))
      (call-interactively #'xref-find-definitions))
    (should (equal (file-name-nondirectory (or buffer-file-name "")) "clients.ladder"))
    (should (= (line-number-at-pos) 2))
    (should (looking-at-p "\\(client \\)?Globex Corp"))))

(ert-deftest ladder-test-eglot-5b-code-action ()
  "The quick fix of an unknown rung, applied by eglot: the nearest rung."
  (with-current-buffer (ladder-test-open)
    (goto-char (point-min))
    (should (re-search-forward "^    ask   \\(intr\\) " nil t))
    (let* ((beg (match-beginning 1)) (end (match-end 1))
           (actions (jsonrpc-request
                     (eglot-current-server) :textDocument/codeAction
                     (list :textDocument (eglot--TextDocumentIdentifier)
                           :range (list :start (eglot--pos-to-lsp-position beg)
                                        :end (eglot--pos-to-lsp-position end))
                           :context (list :diagnostics
                                          (vconcat (cl-loop for d in (flymake-diagnostics beg end)
                                                            when (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d)))
                                                            collect it))))))
           (fix (cl-find-if (lambda (a)
                              (let ((text (format "%S" (plist-get a :edit))))
                                (and (string-match-p "\"intro\"" text)
                                     (not (string-match-p "ladder-ignore" text)))))
                            actions)))
      (should fix)
      (eglot--apply-workspace-edit (plist-get fix :edit))
      (should (equal (buffer-substring (line-beginning-position) (line-end-position))
                     "    ask   intro  Meet the CFO  -> yes"))
      (ladder-test-changed)
      (should (ladder-test-wait
               (lambda () (not (cl-find "unknown-rung" (ladder-test-diags) :key #'cadddr :test #'equal))))))))

(ert-deftest ladder-test-eglot-6-shutdown ()
  "M-x eglot-shutdown: the server answers shutdown (eglot 1.9 sends its
params as null) and is gone.  Its exit status cannot be seen here: eglot
deletes the process right after sending exit (tests/scripts/nvim-lsp.sh
checks it)."
  (with-current-buffer (ladder-test-open)
    (let* ((server (eglot-current-server))
           (proc (jsonrpc--process server)))
      (should (condition-case e (progn (eglot-shutdown server) t)
                (jsonrpc-error (message "shutdown failed: %S" e) nil)))
      (should (ladder-test-wait (lambda () (not (process-live-p proc)))))
      (should-not (eglot-current-server)))))

(ert-deftest ladder-test-eglot-7-fallback ()
  "With `ladder-use-eglot' nil, no server: the ladder-flymake backend."
  (let ((ladder-use-eglot nil)
        ;; Another folder: eglot manages every file of a project it serves.
        (file (expand-file-name "plain/other.ladder" ladder-test-work)))
    (make-directory (file-name-directory file) t)
    (with-current-buffer (find-file-noselect file)
      (run-hooks 'post-command-hook)
      (accept-process-output nil 0.2)
      (should (eq major-mode 'ladder-mode))
      (should-not (eglot-managed-p))
      (should-not (eglot-current-server))
      (should (memq 'ladder-flymake flymake-diagnostic-functions))
      (kill-buffer))))

(provide 'ladder-eglot-tests)
;;; ladder-eglot-tests.el ends here
