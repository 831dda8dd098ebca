;;; ladder-lsp-mode-tests.el --- ERT tests: ladder-mode with lsp-mode and ladder lsp  -*- lexical-binding: t; -*-

;; Run by tests/scripts/lsp-mode.sh, with Debian's elpa packages activated
;; by `package-initialize' (lsp-mode 8 and what it needs):
;;   emacs -Q --batch -L DIR-OF-LADDER-MODE -l this-file -f ert-run-tests-batch-and-exit
;; Environment: LADDER, WORK (main.ladder including clients.ladder, and
;; expected.txt: ladder lint's gcc output for main.ladder), HOME.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'package)
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")
      package-user-dir (expand-file-name "elpa" (getenv "HOME")))
(package-initialize)
(setq lsp-session-file (expand-file-name "lsp-session" (getenv "HOME"))
      lsp-enable-snippet nil
      lsp-enable-file-watchers nil
      lsp-headerline-breadcrumb-enable nil
      lsp-diagnostics-provider :flymake
      lsp-auto-guess-root nil
      lsp-restart 'ignore
      lsp-debounce-full-sync-notifications nil
      lsp-keep-workspace-alive nil)
(require 'lsp-mode)
(require 'ladder-mode)

(defvar ladder-test-work (file-name-as-directory (getenv "WORK")))
(setq ladder-executable (getenv "LADDER")
      ladder-use-eglot nil
      ladder-lsp-initialization-options '(:today "2011-06-30"))
(lsp-workspace-folders-add ladder-test-work)

(defun ladder-test-wait (pred &optional seconds)
  "Wait until PRED returns non-nil, at most SECONDS (default 20)."
  (let ((end (+ (float-time) (or seconds 20))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    v))

(defun ladder-test-expected ()
  "ladder lint's diagnostics for main.ladder: (LINE BYTE-COL TYPE TEXT)."
  (let (out)
    (with-temp-buffer
      (insert-file-contents (expand-file-name "expected.txt" ladder-test-work))
      (dolist (line (split-string (buffer-string) "\n" t))
        (when (string-match ":\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\)\\'" line)
          (push (list (string-to-number (match-string 1 line))
                      (string-to-number (match-string 2 line))
                      (intern (concat ":" (match-string 3 line)))
                      (match-string 4 line))
                out))))
    (sort out (lambda (a b) (or (< (car a) (car b))
                                (and (= (car a) (car b)) (< (cadr a) (cadr b))))))))

(defun ladder-test-diags ()
  "Flymake's diagnostics: (LINE BYTE-COL TYPE TEXT), TYPE as ladder's."
  (let (out)
    (dolist (d (flymake-diagnostics))
      (let ((beg (flymake-diagnostic-beg d)))
        (push (list (line-number-at-pos beg)
                    (save-excursion
                      (goto-char beg)
                      (1+ (- (position-bytes beg) (position-bytes (line-beginning-position)))))
                    (pcase (flymake-diagnostic-type d)
                      ((or :error 'eglot-error) :error)
                      ((or :warning 'eglot-warning) :warning)
                      (_ :note))
                    (flymake-diagnostic-text d))
              out)))
    (sort out (lambda (a b) (or (< (car a) (car b))
                                (and (= (car a) (car b)) (< (cadr a) (cadr b))))))))

(defvar ladder-test-buffer nil)

(defun ladder-test-open ()
  "Visit main.ladder and start lsp-mode there."
  (unless (buffer-live-p ladder-test-buffer)
    (setq ladder-test-buffer
          (find-file-noselect (expand-file-name "main.ladder" ladder-test-work)))
    (with-current-buffer ladder-test-buffer
      (lsp)
      (ladder-test-wait
       (lambda () (and (lsp-workspaces)
                       (eq (lsp--workspace-status (car (lsp-workspaces))) 'initialized))))
      (flymake-mode 1)
      (flymake-start)))
  ladder-test-buffer)

(ert-deftest ladder-test-lsp-mode-1-registered ()
  "ladder-mode's language id and the client `ladder' are lsp-mode's."
  (should (equal (alist-get 'ladder-mode lsp-language-id-configuration) "ladder"))
  (should (gethash 'ladder lsp-clients)))

(ert-deftest ladder-test-lsp-mode-2-diagnostics ()
  "lsp-mode's flymake diagnostics are ladder lint's, and only those."
  (with-current-buffer (ladder-test-open)
    (should (lsp-workspaces))
    (should lsp-managed-mode)
    (should-not (memq 'ladder-flymake flymake-diagnostic-functions))
    (let ((want (mapcar (lambda (d) (butlast d)) (ladder-test-expected))))
      (should (>= (length want) 3))
      (should (ladder-test-wait (lambda () (= (length (flymake-diagnostics)) (length want)))))
      (accept-process-output nil 0.3)
      (should (equal (mapcar #'butlast (ladder-test-diags)) want))
      ;; The messages are ladder lint's (the rule id aside), so the
      ;; initializationOptions arrived: overdue-next counts from 2011-06-30.
      (should (equal (mapcar (lambda (d) (replace-regexp-in-string " \\[[a-z-]+\\]\\'" "" (nth 3 d)))
                             (ladder-test-diags))
                     (mapcar (lambda (d) (replace-regexp-in-string " \\[[a-z-]+\\]\\'" "" (nth 3 d)))
                             (ladder-test-expected)))))))

(ert-deftest ladder-test-lsp-mode-3-completion ()
  "Completion at point offers the clients after a header's date."
  (with-current-buffer (ladder-test-open)
    (goto-char (point-max))
    (let ((start (point)))
      (insert "\n2011-03-10 * (call) ")
      (let* ((capf (lsp-completion-at-point))
             (all (and capf (all-completions "" (nth 2 capf)))))
        (should (member "Globex Corp" all))
        (should (member "gx" all)))
      (delete-region start (point-max)))))

(ert-deftest ladder-test-lsp-mode-4-xref ()
  "xref on a client's name goes to its directive in the included file."
  (with-current-buffer (ladder-test-open)
    (goto-char (point-min))
    (should (re-search-forward "^2011-02-14 \\* (call) Glo" nil t))
    (let ((defs (xref-backend-definitions 'xref-lsp (xref-backend-identifier-at-point 'xref-lsp))))
      (should (= (length defs) 1))
      (let ((loc (xref-item-location (car defs))))
        (should (equal (file-name-nondirectory (xref-file-location-file loc)) "clients.ladder"))
        (should (= (xref-file-location-line loc) 2))))))

(ert-deftest ladder-test-lsp-mode-5-shutdown ()
  "lsp-mode shuts the server down and it is gone."
  (with-current-buffer (ladder-test-open)
    (let* ((ws (car (lsp-workspaces)))
           (proc (lsp--workspace-proc ws)))
      (lsp-workspace-shutdown ws)
      (should (ladder-test-wait (lambda () (not (process-live-p proc))))))))

(provide 'ladder-lsp-mode-tests)
;;; ladder-lsp-mode-tests.el ends here
