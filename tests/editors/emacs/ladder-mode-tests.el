;;; ladder-mode-tests.el --- ERT tests for ladder-mode  -*- lexical-binding: t; -*-

;; Run by tests/scripts/emacs.sh:
;;   emacs -Q --batch -L DIR-OF-LADDER-MODE -l this-file -f ert-run-tests-batch-and-exit
;; Environment: LADDER (the linter), WORK (a scratch folder holding
;; sample.ladder, a copy of tests/editors/sample.ladder).

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'compile)
(require 'imenu)
(require 'ladder-mode)

(defvar ladder-test-linter (getenv "LADDER"))
(defvar ladder-test-work (file-name-as-directory (getenv "WORK")))
(defvar ladder-test-sample (expand-file-name "sample.ladder" ladder-test-work))
(defvar ladder-test-args '("--today" "2011-06-30"))

;;;; Helpers

(defun ladder-test-wait (pred &optional seconds)
  "Wait until PRED returns non-nil, at most SECONDS (default 20)."
  (let ((end (+ (float-time) (or seconds 20))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    v))

(defun ladder-test-pos (line col)
  "Position of character COL (from 1) of LINE (from 1)."
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- line))
    (+ (point) (1- col))))

(defun ladder-test-face (line col)
  "The face at character COL of LINE, as a list."
  (let ((f (get-text-property (ladder-test-pos line col) 'face)))
    (if (listp f) f (list f))))

(defun ladder-test-byte-col (pos)
  "The byte column (from 1) of POS on its line, in UTF-8."
  (save-excursion
    (goto-char pos)
    (1+ (length (encode-coding-string
                 (buffer-substring-no-properties (line-beginning-position) pos)
                 'utf-8-unix)))))

(defun ladder-test-expected (&optional file stdin-text)
  "Ladder's own gcc output, parsed: for FILE, or for STDIN-TEXT named FILE."
  (with-temp-buffer
    (let ((default-directory ladder-test-work)
          (coding-system-for-read 'utf-8-unix)
          (coding-system-for-write 'utf-8-unix))
      (if stdin-text
          (progn
            (insert stdin-text)
            (apply #'call-process-region (point-min) (point-max) ladder-test-linter
                   t t nil "lint" "--format" "gcc"
                   (append ladder-test-args (list "--stdin-filename" file "-"))))
        (apply #'call-process ladder-test-linter nil t nil "lint" "--format" "gcc"
               (append ladder-test-args (list (or file ladder-test-sample))))))
    (let (out)
      (dolist (line (split-string (buffer-string) "\n" t))
        (when (string-match "\\`\\(.*?\\):\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\)\\'" line)
          (push (list (string-to-number (match-string 2 line))
                      (string-to-number (match-string 3 line))
                      (intern (concat ":" (match-string 4 line)))
                      (match-string 5 line))
                out)))
      (ladder-test-sort (nreverse out)))))

(defun ladder-test-flymake-start ()
  "Start flymake with only our backend and wait for its report."
  (setq-local flymake-diagnostic-functions '(ladder-flymake))
  (flymake-mode 1)
  (flymake-start nil t)
  (ladder-test-wait (lambda ()
                      (or (memq 'ladder-flymake (flymake-reporting-backends))
                          (memq 'ladder-flymake (flymake-disabled-backends))))))

(defun ladder-test-sort (diags)
  "Sort DIAGS, lists (LINE COL TYPE TEXT), by line, column and text."
  (sort diags (lambda (a b)
                (or (< (nth 0 a) (nth 0 b))
                    (and (= (nth 0 a) (nth 0 b))
                         (or (< (nth 1 a) (nth 1 b))
                             (and (= (nth 1 a) (nth 1 b))
                                  (string< (nth 3 a) (nth 3 b)))))))))

(defun ladder-test-diags ()
  "Flymake's diagnostics of the buffer as (LINE BYTE-COL TYPE TEXT), sorted."
  (ladder-test-sort (mapcar (lambda (d)
                  (let ((beg (flymake-diagnostic-beg d)))
                    (list (line-number-at-pos beg)
                          (ladder-test-byte-col beg)
                          (flymake-diagnostic-type d)
                          (flymake-diagnostic-text d))))
                (flymake-diagnostics))))

(defun ladder-test-diag-at (line byte-col)
  "The flymake diagnostic starting at LINE and BYTE-COL, or nil."
  (cl-find-if (lambda (d)
                (let ((beg (flymake-diagnostic-beg d)))
                  (and (= (line-number-at-pos beg) line)
                       (= (ladder-test-byte-col beg) byte-col))))
              (flymake-diagnostics)))

(defmacro ladder-test-with-sample (&rest body)
  "Visit a fresh copy of the sample journal and run BODY there."
  (declare (indent 0))
  `(let ((buf (find-file-noselect ladder-test-sample t)))
     (unwind-protect
         (with-current-buffer buf
           (let ((ladder-executable ladder-test-linter)
                 (ladder-lint-arguments ladder-test-args))
             (font-lock-ensure)
             ,@body))
       (with-current-buffer buf
         (when (bound-and-true-p flymake-mode) (flymake-mode -1))
         (set-buffer-modified-p nil))
       (kill-buffer buf))))

(defun ladder-test-fake-linter (name script)
  "Write an executable shell SCRIPT called NAME in the scratch folder."
  (let ((file (expand-file-name name ladder-test-work)))
    (with-temp-file file (insert "#!/bin/sh\n" script "\n"))
    (set-file-modes file #o755)
    file))

(defun ladder-test-direct-report (buffer)
  "Call `ladder-flymake' in BUFFER directly; return what it reported."
  (let (reports)
    (with-current-buffer buffer
      (ladder-flymake (lambda (&rest args) (push args reports))))
    (ladder-test-wait (lambda () reports) 10)
    reports))

;;;; The mode

;;;; Formatting

(ert-deftest ladder-test-format-buffer ()
  (let ((ladder-executable ladder-test-linter))
    (with-temp-buffer
      (ladder-mode)
      (insert "2011/2/14   acme\n  plan intro\n\n  next none\n\n\n"
              "2011-02-15 acme\n  next 2011.3.1 Call back\n")
      (goto-char (point-min))
      (search-forward "Call")
      (let ((word-start (- (point) 4)))
        (ignore word-start)
        (ladder-format-buffer)
        (should (equal (buffer-string)
                       (concat "2011-02-14 acme\n    plan  intro\n    next  none\n\n"
                               "2011-02-15 acme\n    next  2011-03-01  Call back\n")))
        ;; Point stays after the same word.
        (should (looking-at " back"))
        (ladder-format-buffer)
        (should (looking-at " back")))
      ;; A syntax error: the buffer is left alone, the errors shown.
      (erase-buffer)
      (insert "2011-02-14 acme\n    bogus   x\n")
      (ladder-format-buffer)
      (should (equal (buffer-string) "2011-02-14 acme\n    bogus   x\n"))
      (should (string-match-p ":2:5: error: .*\\[syntax\\]"
                              (with-current-buffer "*ladder-fmt*" (buffer-string)))))))

(ert-deftest ladder-test-auto-mode ()
  (ladder-test-with-sample
    (should (eq major-mode 'ladder-mode))
    (should (memq #'ladder-flymake flymake-diagnostic-functions))
    (should (string-match-p "lint --format gcc --column-unit display -- sample.ladder"
                            compile-command))
    (let ((compilation-error-screen-columns nil))
      (should (string-match-p "--column-unit char" (ladder-compile-command "x.ladder"))))))

(ert-deftest ladder-test-font-lock-sample ()
  (ladder-test-with-sample
    ;; 7: 2011-02-14 * (call) Acme Corp | First call with Jane
    (should (memq 'font-lock-comment-face (ladder-test-face 1 3)))
    (should (memq 'ladder-directive-face (ladder-test-face 2 1)))
    (should (memq 'font-lock-variable-name-face (ladder-test-face 2 8)))
    (should (memq 'ladder-directive-face (ladder-test-face 4 1)))
    (should (memq 'ladder-client-face (ladder-test-face 4 8)))
    (should (memq 'ladder-directive-face (ladder-test-face 5 5)))
    (should (memq 'ladder-client-face (ladder-test-face 5 11)))
    (should (memq 'ladder-date-face (ladder-test-face 7 1)))
    (should (memq 'ladder-status-face (ladder-test-face 7 12)))
    (should (memq 'ladder-kind-face (ladder-test-face 7 14)))
    (should (memq 'ladder-client-face (ladder-test-face 7 21)))
    (should (memq 'ladder-client-face (ladder-test-face 7 29)))
    (should-not (memq 'ladder-client-face (ladder-test-face 7 33)))
    (should (memq 'ladder-item-face (ladder-test-face 8 5)))
    (should (memq 'ladder-rung-face (ladder-test-face 8 11)))
    (should (memq 'ladder-item-face (ladder-test-face 9 5)))
    (should (memq 'ladder-rung-face (ladder-test-face 10 11)))
    (should (memq 'ladder-yes-face (ladder-test-face 10 45)))
    (should (memq 'ladder-item-face (ladder-test-face 11 5)))
    (should (memq 'ladder-date-face (ladder-test-face 11 11)))
    (should (memq 'ladder-rung-face (ladder-test-face 11 22)))
    ;; -> maybe is no outcome
    (should-not (ladder-test-face 15 (- (length (ladder-test-line 15)) 1)))
    ;; "data;" : a ; after a non-blank is text
    (should-not (memq 'font-lock-comment-face
                      (ladder-test-face 16 (1+ (string-match ";" (ladder-test-line 16))))))))

(defun ladder-test-line (n)
  "The text of line N."
  (save-excursion
    (goto-char (point-min)) (forward-line (1- n))
    (buffer-substring-no-properties (point) (line-end-position))))

(ert-deftest ladder-test-font-lock-forms ()
  (with-temp-buffer
    (insert "ladder\n    intro  First\n    big\n"
            "2011-1-2 10:30 ! Foo ; x\n"
            "    ask intro x -> no ; later\n"
            "    next none\n"
            "# hash comment\n"
            "rule no-ask off\n"
            "    note a # b\n"
            "    ask intro a -> b -> later\n")
    (ladder-mode)
    (font-lock-ensure)
    (should (memq 'ladder-directive-face (ladder-test-face 1 1)))
    (should (memq 'ladder-rung-face (ladder-test-face 2 5)))
    (should (memq 'ladder-rung-face (ladder-test-face 3 5)))
    (should (memq 'ladder-date-face (ladder-test-face 4 10)))
    (should (memq 'ladder-status-face (ladder-test-face 4 16)))
    (should (memq 'ladder-client-face (ladder-test-face 4 18)))
    (should (memq 'font-lock-comment-face (ladder-test-face 4 24)))
    (should (memq 'ladder-no-face (ladder-test-face 5 20)))
    (should (memq 'font-lock-comment-face (ladder-test-face 5 26)))
    (should-not (memq 'ladder-later-face (ladder-test-face 5 26)))
    (should (memq 'ladder-item-face (ladder-test-face 6 10)))
    (should (memq 'font-lock-comment-face (ladder-test-face 7 3)))
    (should (memq 'font-lock-constant-face (ladder-test-face 8 6)))
    (should (memq 'font-lock-builtin-face (ladder-test-face 8 13)))
    (should-not (memq 'font-lock-comment-face (ladder-test-face 9 14)))
    (should (memq 'ladder-later-face (ladder-test-face 10 25)))))

(ert-deftest ladder-test-comments ()
  (with-temp-buffer
    (ladder-mode)
    (insert "2011-02-14 acme | a;b ; real comment\n# hash\n    note x # y\n")
    (syntax-propertize (point-max))
    (should-not (nth 4 (syntax-ppss (ladder-test-pos 1 21))))
    (should (nth 4 (syntax-ppss (ladder-test-pos 1 26))))
    (should (nth 4 (syntax-ppss (ladder-test-pos 2 3))))
    (should-not (nth 4 (syntax-ppss (ladder-test-pos 3 13))))
    (should (equal comment-start "; "))
    (goto-char (point-max))
    (insert "plain")
    (comment-region (line-beginning-position) (line-end-position))
    (should (equal (buffer-substring (line-beginning-position) (line-end-position))
                   "; plain"))))

(ert-deftest ladder-test-imenu ()
  (ladder-test-with-sample
    (let* ((index (funcall imenu-create-index-function))
           (clients (mapcar #'car (cdr (assoc "Clients" index))))
           (entries (mapcar #'car (cdr (assoc "Entries" index)))))
      (should (equal clients '("Acme Corp")))
      (should (equal entries
                     '("2011-02-14 * (call) Acme Corp | First call with Jane"
                       "2011-02-21 * (meeting) acme | Budget walkthrough")))
      (let ((pos (cdr (assoc "Acme Corp" (cdr (assoc "Clients" index))))))
        (should (= (line-number-at-pos (if (markerp pos) (marker-position pos) pos)) 4))))))

;;;; Flycheck stays out of the way

(ert-deftest ladder-test-no-flycheck ()
  "Without flycheck loaded, nothing of flycheck's is defined or loaded."
  (should-not (featurep 'flycheck))
  (should-not (fboundp 'flycheck-define-command-checker))
  (should-not (boundp 'flycheck-checkers)))

;;;; Flymake

(ert-deftest ladder-test-flymake-saved ()
  "Every diagnostic ladder prints for the saved file, with line, byte
column, type and text, and the two structural errors where they belong."
  (ladder-test-with-sample
    (should (ladder-test-flymake-start))
    (should (memq 'ladder-flymake (flymake-reporting-backends)))
    (let ((want (ladder-test-expected)))
      (should want)
      (should (equal (ladder-test-diags) want)))
    (let ((d (ladder-test-diag-at 10 11)))
      (should d)
      (should (eq (flymake-diagnostic-type d) :error))
      (should (string-match-p "\\[unknown-rung\\]\\'" (flymake-diagnostic-text d)))
      (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                     "intr")))
    ;; line 15 has non-ASCII text before the column: byte 61 is "maybe"
    (let ((d (ladder-test-diag-at 15 61)))
      (should d)
      (should (eq (flymake-diagnostic-type d) :error))
      (should (string-match-p "\\[syntax\\]\\'" (flymake-diagnostic-text d)))
      (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                     "maybe")))))

(ert-deftest ladder-test-flymake-notes ()
  "Warnings, and notes (no rule id) at the lines they point to."
  (let* ((file (expand-file-name "warnings.ladder" ladder-test-work))
         (buf (find-file-noselect file t)))
    (unwind-protect
        (with-current-buffer buf
          (let ((ladder-executable ladder-test-linter)
                (ladder-lint-arguments ladder-test-args))
            (should (ladder-test-flymake-start))
            (let ((want (ladder-test-expected file)))
              (should want)
              (should (equal (ladder-test-diags) want)))
            (let ((d (ladder-test-diag-at 9 1)))
              (should d)
              (should (eq (flymake-diagnostic-type d) :warning))
              (should (string-match-p "\\[duplicate-entry\\]\\'" (flymake-diagnostic-text d))))
            (let ((d (ladder-test-diag-at 4 1)))
              (should d)
              (should (eq (flymake-diagnostic-type d) :note))
              (should-not (string-match-p "\\]\\'" (flymake-diagnostic-text d))))
            (flymake-mode -1)))
      (kill-buffer buf))))

(ert-deftest ladder-test-flymake-unsaved ()
  "The buffer's text is linted, not the file's."
  (ladder-test-with-sample
    (goto-char (point-min))
    (re-search-forward "ask   intr ")
    (replace-match "ask   intro")
    (goto-char (point-max))
    (insert "    ask   visiter  new unsaved line\n")
    (should (buffer-modified-p))
    (should (ladder-test-flymake-start))
    (let ((want (ladder-test-expected "sample.ladder" (buffer-string))))
      (should (equal (ladder-test-diags) want)))
    (should-not (ladder-test-diag-at 10 11))
    (let ((d (ladder-test-diag-at 17 11)))
      (should d)
      (should (string-match-p "\\[unknown-rung\\]\\'" (flymake-diagnostic-text d)))
      (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                     "visiter")))
    ;; the file itself still has the old error
    (should (assoc 10 (ladder-test-expected)))))

(ert-deftest ladder-test-flymake-include ()
  "Diagnostics of an included journal go to that journal's buffer."
  (let* ((dir (expand-file-name "inc/" ladder-test-work))
         (main (expand-file-name "main.ladder" dir))
         (other (expand-file-name "sub dir/other.ladder" dir)))
    (make-directory (file-name-directory other) t)
    (with-temp-file main
      (insert "include sub dir/other.ladder\n2011-02-14 * (call) Acme | x\n    ask   intr  y\n"))
    (with-temp-file other
      (insert "; Ünïcödé\n2011-02-15 * (call) Acme | é ☕\n    plan  contrct\n    ask   intro  café -> peut-être\n"))
    (let ((obuf (find-file-noselect other t))
          (mbuf (find-file-noselect main t)))
      (unwind-protect
          (progn
            (with-current-buffer obuf
              (setq-local flymake-diagnostic-functions nil)
              (flymake-mode 1))
            (with-current-buffer mbuf
              (let ((ladder-executable ladder-test-linter)
                    (ladder-lint-arguments ladder-test-args))
                (should (ladder-test-flymake-start))
                (should (ladder-test-diag-at 3 11))
                (should (cl-every (lambda (d) (eq (flymake-diagnostic-buffer d) mbuf))
                                  (flymake-diagnostics)))
                (let ((want (cl-remove-if-not
                             (lambda (l) (string-prefix-p (concat other ":") l))
                             (split-string
                              (with-temp-buffer
                                (let ((default-directory dir))
                                  (call-process ladder-test-linter nil t nil "lint" "--format" "gcc"
                                                "--today" "2011-06-30" main))
                                (buffer-string))
                              "\n" t))))
                  (with-current-buffer obuf
                    (should want)
                    (should (equal (length (flymake-diagnostics)) (length want)))
                    (let ((d (ladder-test-diag-at 3 11)))
                      (should d)
                      (should (string-match-p "\\[unknown-rung\\]\\'" (flymake-diagnostic-text d)))
                      (should (equal (buffer-substring (flymake-diagnostic-beg d)
                                                       (flymake-diagnostic-end d))
                                     "contrct")))
                    (let ((d (cl-find-if (lambda (d) (string-match-p "\\[syntax\\]\\'" (flymake-diagnostic-text d)))
                                         (flymake-diagnostics))))
                      (should d)
                      (should (equal (buffer-substring (flymake-diagnostic-beg d)
                                                       (flymake-diagnostic-end d))
                                     "peut-être")))))
                (flymake-mode -1))))
        (with-current-buffer obuf (flymake-mode -1))
        (kill-buffer mbuf)
        (kill-buffer obuf)))))

(ert-deftest ladder-test-flymake-no-file ()
  "A buffer that visits no file is linted under its buffer name."
  (let ((buf (generate-new-buffer "scratch journal.ladder")))
    (unwind-protect
        (with-current-buffer buf
          (let ((ladder-executable ladder-test-linter)
                (ladder-lint-arguments ladder-test-args)
                (default-directory ladder-test-work))
            (insert "2011-02-14 * (call) acme | x\n    ask   nedds  y  -> yes\n")
            (ladder-mode)
            (should (ladder-test-flymake-start))
            (let ((d (ladder-test-diag-at 2 11)))
              (should d)
              (should (eq (flymake-diagnostic-type d) :error))
              (should (string-match-p "\\[unknown-rung\\]\\'" (flymake-diagnostic-text d))))
            (flymake-mode -1)))
      (kill-buffer buf))))

(ert-deftest ladder-test-flymake-non-ascii ()
  "Byte columns after multibyte characters, wide and narrow, land right."
  (with-temp-buffer
    (let ((ladder-executable ladder-test-linter)
          (ladder-lint-arguments ladder-test-args)
          (default-directory ladder-test-work))
      (insert "; Ünïcödé — 日本語 before\n"
              "2011-02-14 * (call) Zoë Ärger | café ☕ 日本\n"
              "    ask   intro  Vorstellung bei der Geschäftsführung 日本  -> vielleicht\n"
              "    plan  日本  x\n")
      (ladder-mode)
      (should (ladder-test-flymake-start))
      (let ((want (ladder-test-expected "nonascii.ladder" (buffer-string))))
        (should want)
        (should (equal (ladder-test-diags) want))
        (dolist (w want)
          (let ((d (ladder-test-diag-at (nth 0 w) (nth 1 w))))
            (should d))))
      (let ((d (cl-find-if (lambda (d) (string-match-p "\\[syntax\\]\\'" (flymake-diagnostic-text d)))
                           (flymake-diagnostics))))
        (should d)
        (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                       "vielleicht")))
      (let ((d (cl-find-if (lambda (d) (and (= (line-number-at-pos (flymake-diagnostic-beg d)) 4)
                                            (string-match-p "\\[unknown-rung\\]\\'" (flymake-diagnostic-text d))))
                           (flymake-diagnostics))))
        (should d)
        (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                       "日本")))
      (flymake-mode -1))))

(ert-deftest ladder-test-flymake-bom-crlf ()
  "A file with a byte-order mark and CRLF line ends."
  (let ((file (expand-file-name "bom-crlf.ladder" ladder-test-work)))
    (let ((coding-system-for-write 'no-conversion))
      (with-temp-file file
        (set-buffer-multibyte nil)
        (insert "\xef\xbb\xbf\ 2011-02-14 * (call) Acme | caf\xc3\xa9\r\n"
                "    ask   intr  \xc3\xa9t\xc3\xa9 -> yes\r\n"
                "    ask   intro  \xc3\xa9t\xc3\xa9 -> nope\r\n")))
    (let ((buf (find-file-noselect file t)))
      (unwind-protect
          (with-current-buffer buf
            (let ((ladder-executable ladder-test-linter)
                  (ladder-lint-arguments ladder-test-args))
              (should (eq (coding-system-eol-type buffer-file-coding-system) 1))
              (should (ladder-test-flymake-start))
              (let ((want (ladder-test-expected file)))
                (should want)
                (should (equal (ladder-test-diags) want)))
              (let ((d (ladder-test-diag-at 2 11)))
                (should d)
                (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                               "intr")))
              (let ((d (cl-find-if (lambda (d) (string-match-p "\\[syntax\\]\\'" (flymake-diagnostic-text d)))
                                   (flymake-diagnostics))))
                (should d)
                (should (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                               "nope")))
              (flymake-mode -1)))
        (kill-buffer buf)))))

(ert-deftest ladder-test-byte-position ()
  "The byte-to-position conversion itself."
  (with-temp-buffer
    (insert "ab\nxé日z w\n")
    (should (= (ladder--byte-position 2 1) (ladder-test-pos 2 1)))
    (should (= (ladder--byte-position 2 2) (ladder-test-pos 2 2)))   ; é
    (should (= (ladder--byte-position 2 4) (ladder-test-pos 2 3)))   ; 日
    (should (= (ladder--byte-position 2 7) (ladder-test-pos 2 4)))   ; z
    (should (= (ladder--byte-position 2 99) (ladder-test-pos 2 7)))  ; clamped
    (should (equal (ladder--region 2 9) (cons (ladder-test-pos 2 6) (ladder-test-pos 2 7))))))

(ert-deftest ladder-test-parse-gcc ()
  (let ((ds (ladder--parse-gcc
             (concat "a b.ladder:3:5: error: unknown rung 'x': see \"y\" [unknown-rung]\n"
                     "a b.ladder:1:1: note: the earlier entry is here\n"
                     "c:d.ladder:2:3: warning: odd: name [no-ask]\n"
                     "ladder: junk\n")
             "c:d.ladder")))
    (should (equal (mapcar (lambda (d) (list (plist-get d :file) (plist-get d :line)
                                             (plist-get d :column) (plist-get d :severity)
                                             (plist-get d :rule)))
                           ds)
                   '(("a b.ladder" 3 5 error "unknown-rung")
                     ("a b.ladder" 1 1 note nil)
                     ("c:d.ladder" 2 3 warning "no-ask"))))
    (should (equal (plist-get (car ds) :message)
                   "unknown rung 'x': see \"y\" [unknown-rung]"))
    (should (eq (ladder--flymake-type 'note) :note))
    (should (eq (ladder--flymake-type 'warning) :warning))))

(ert-deftest ladder-test-flymake-missing-linter ()
  "A missing linter disables the backend with a reason; Emacs goes on."
  (ladder-test-with-sample
    (let ((ladder-executable (expand-file-name "no-such-ladder" ladder-test-work)))
      (let ((r (ladder-test-direct-report (current-buffer))))
        (should (eq (nth 0 (car r)) :panic))
        (should (string-match-p "cannot find" (plist-get (cdr (car r)) :explanation))))
      (should (ladder-test-flymake-start))
      (should (memq 'ladder-flymake (flymake-disabled-backends)))
      (should-not (flymake-diagnostics))
      (insert "still editable")
      (should (buffer-modified-p)))))

(ert-deftest ladder-test-flymake-crashing-linter ()
  "A linter that fails, dies or babbles does not break Emacs."
  (ladder-test-with-sample
    (let ((ladder-executable
           (ladder-test-fake-linter "exit2" "cat >/dev/null; echo 'ladder: out of memory' >&2; exit 2")))
      (let ((r (ladder-test-direct-report (current-buffer))))
        (should (eq (nth 0 (car r)) :panic))
        (should (string-match-p "exited with 2: ladder: out of memory"
                                (plist-get (cdr (car r)) :explanation))))
      (should (ladder-test-flymake-start))
      (should (memq 'ladder-flymake (flymake-disabled-backends)))
      (flymake-mode -1))
    (let ((ladder-executable
           (ladder-test-fake-linter "segv" "cat >/dev/null; printf 'sample.ladder:1:' ; kill -SEGV $$")))
      (let ((r (ladder-test-direct-report (current-buffer))))
        (should (eq (nth 0 (car r)) :panic))
        (should (string-match-p "signal" (plist-get (cdr (car r)) :explanation))))
      (should (ladder-test-flymake-start))
      (should (memq 'ladder-flymake (flymake-disabled-backends)))
      (flymake-mode -1))
    (let ((ladder-executable
           (ladder-test-fake-linter "babble" "echo 'garbage'; echo 'sample.ladder:x:y: error: no'; exit 1")))
      (let ((r (ladder-test-direct-report (current-buffer))))
        (should (equal r '((nil))))))
    ;; the real linter works again once flymake restarts
    (should (ladder-test-flymake-start))
    (should (memq 'ladder-flymake (flymake-reporting-backends)))
    (should (ladder-test-diag-at 10 11))))

(ert-deftest ladder-test-flymake-obsolete-check ()
  "A check that a newer one replaced reports nothing."
  (ladder-test-with-sample
    (let ((ladder-executable (ladder-test-fake-linter "slow" "sleep 1; cat >/dev/null; exit 0"))
          first second)
      (ladder-flymake (lambda (&rest a) (push a first)))
      (let ((ladder-executable ladder-test-linter))
        (ladder-flymake (lambda (&rest a) (push a second))))
      (should (ladder-test-wait (lambda () second)))
      (accept-process-output nil 1.5)
      (should-not first))))

;;;; Compilation mode

(ert-deftest ladder-test-compilation-regexp ()
  (with-temp-buffer
    (insert "x.ladder:3:5: error: bad [syntax]\n"
            "x.ladder:4:1: warning: w [no-ask]\n"
            "x.ladder:2:1: note: here\n")
    (compilation-mode)
    (should (memq 'ladder compilation-error-regexp-alist))
    (should (assq 'ladder compilation-error-regexp-alist-alist))
    (let ((compilation-error-regexp-alist '(ladder)))
      (compilation--flush-parse (point-min) (point-max))
      (compilation--ensure-parse (point-max))
      (let (got)
        (goto-char (point-min))
        (while (not (eobp))
          (let ((msg (get-text-property (point) 'compilation-message)))
            (when msg
              (let ((loc (compilation--message->loc msg)))
                (push (list (compilation--loc->line loc) (compilation--loc->col loc)
                            (compilation--message->type msg))
                      got))))
          (forward-line 1))
        (should (equal (nreverse got) '((3 5 2) (4 1 1) (2 1 0))))))))

(ert-deftest ladder-test-compile-command ()
  "M-x compile on the sample lands next-error on the unknown rung."
  (ladder-test-with-sample
    (let* ((compilation-buffer-name-function (lambda (_) "*ladder-compile-test*"))
           (cbuf (compile (concat (shell-quote-argument ladder-test-linter)
                                  " lint --format gcc --today 2011-06-30 sample.ladder"))))
      (unwind-protect
          (progn
            (should (ladder-test-wait (lambda () (not (get-buffer-process cbuf)))))
            (with-current-buffer cbuf
              (goto-char (point-min))
              (should (re-search-forward "^sample.ladder:10:11: error: .*\\[unknown-rung\\]$" nil t)))
            (let ((want (cl-position-if (lambda (w) (and (= (car w) 10) (= (cadr w) 11)))
                                        (ladder-test-expected))))
              (should want)
              (with-current-buffer cbuf (goto-char (point-min)))
              (let ((next-error-function nil))
                (with-current-buffer cbuf
                  (compilation-next-error (1+ want) nil (point-min))
                  (compile-goto-error)))
              (with-current-buffer (find-buffer-visiting ladder-test-sample)
                (should (= (line-number-at-pos) 10))
                (should (looking-at "intr ")))))
        (let ((kill-buffer-query-functions nil)) (kill-buffer cbuf))))))

(ert-deftest ladder-test-compile-columns ()
  "next-error lands on the reported character after tabs, CJK, an emoji
and a combining mark, in screen columns and in characters."
  (let* ((file (expand-file-name "columns.ladder" ladder-test-work))
         (line "\task\tintro\t\u6771\u4eac\u306e\u4f1a\u8b70 \U0001F600 e\u0301 -> maybe"))
    (with-temp-file file
      (insert "client X\n\n2011-02-14 * X | t\n" line "\n    next none\n"))
    (dolist (screen '(t nil))
      (let ((compilation-error-screen-columns screen)
            (ladder-executable ladder-test-linter)
            ;; Options before the file name (it comes after --).
            (ladder-lint-arguments '("--today" "2011-06-30" "--rule" "no-ask=off")))
        (with-current-buffer (find-file-noselect file)
          (let* ((default-directory ladder-test-work)
                 (compilation-buffer-name-function (lambda (_) "*ladder-columns-test*"))
                 (cbuf (compile (ladder-compile-command "columns.ladder"))))
            (unwind-protect
                (progn
                  (should (ladder-test-wait (lambda () (not (get-buffer-process cbuf)))))
                  (with-current-buffer cbuf
                    (goto-char (point-min))
                    (should (re-search-forward
                             (if screen "^columns.ladder:4:44: error" "^columns.ladder:4:26: error")
                             nil t)))
                  (let ((next-error-function nil))
                    (with-current-buffer cbuf
                      (compilation-next-error 1 nil (point-min))
                      (compile-goto-error)))
                  (with-current-buffer (find-buffer-visiting file)
                    (should (= (line-number-at-pos) 4))
                    (should (looking-at "maybe"))))
              (let ((kill-buffer-query-functions nil)) (kill-buffer cbuf)))))))))

(provide 'ladder-mode-tests)
;;;; The agenda

(ert-deftest ladder-test-agenda ()
  "M-x ladder-agenda: a compilation buffer whose steps jump to their lines."
  (let* ((file (expand-file-name "agenda.ladder" ladder-test-work))
         (buf (find-file-noselect file))
         (ladder-executable ladder-test-linter))
    (unwind-protect
        (let ((cbuf (with-current-buffer buf
                      (ladder-agenda nil '("--today" "2011-03-10" "--days" "10")))))
          (should (ladder-test-wait (lambda () (not (get-buffer-process cbuf)))))
          (with-current-buffer cbuf
            (should (eq major-mode 'ladder-agenda-mode))
            (goto-char (point-min))
            (should (re-search-forward "^overdue (1)$" nil t))
            (should (re-search-forward "^agenda.ladder:4: 2011-03-08 2 days late +Acme: " nil t))
            (should (re-search-forward "^agenda.ladder:8: 2011-03-15 in 5 days +Beta: " nil t))
            (should (re-search-forward "^agenda.ladder:11: 2011-03-03 unscheduled +Gamma: " nil t)))
          ;; The second step (coming) visits line 8 of the journal.
          (with-current-buffer cbuf
            (goto-char (point-min))
            (compilation-next-error 2 nil (point-min))
            (compile-goto-error))
          (with-current-buffer buf
            (should (= (line-number-at-pos) 8))
            (should (string-match-p "^    next 2011-03-15" (thing-at-point (quote line) t))))
          (let ((kill-buffer-query-functions nil)) (kill-buffer cbuf)))
      (kill-buffer buf))))

;;; ladder-mode-tests.el ends here

(defun ladder-test-count-odd (name)
  "How many diagnostics ladder itself prints for the journal NAME (after --)."
  (with-temp-buffer
    (let ((default-directory ladder-test-work))
      (apply #'call-process ladder-test-linter nil t nil "lint" "--format" "gcc"
             (append ladder-test-args (list "--" name))))
    (how-many "^[^\n]*:[0-9]+:[0-9]+: \\(error\\|warning\\|note\\): " (point-min) (point-max))))

(ert-deftest ladder-test-lint-option-like-names ()
  "M-x ladder-lint and flymake lint journals named like options (-- before the name)."
  (dolist (odd '("-q.ladder" "--format=json.ladder"))
    (let* ((file (expand-file-name odd ladder-test-work))
           (want (progn (copy-file ladder-test-sample file t)
                        (ladder-test-count-odd odd)))
           (buf (find-file-noselect file t)))
      (should (> want 0))
      (unwind-protect
          (with-current-buffer buf
            (let ((ladder-executable ladder-test-linter)
                  (ladder-lint-arguments ladder-test-args)
                  (compilation-buffer-name-function (lambda (_) "*ladder-odd-test*")))
              (should (string-match-p " -- " compile-command))
              ;; M-x ladder-lint: the same diagnostics as ladder itself.
              (let ((cbuf (ladder-lint)))
                (unwind-protect
                    (progn
                      (should (ladder-test-wait (lambda () (not (get-buffer-process cbuf)))))
                      (with-current-buffer cbuf
                        (should (= want (how-many (concat "^" (regexp-quote odd)
                                                          ":[0-9]+:[0-9]+: ")
                                                  (point-min) (point-max))))))
                  (kill-buffer cbuf)))
              ;; flymake: standard input named by --stdin-filename.
              (flymake-mode 1)
              (flymake-start)
              (should (ladder-test-wait
                       (lambda () (= (length (flymake-diagnostics)) want))))))
        (with-current-buffer buf
          (when (bound-and-true-p flymake-mode) (flymake-mode -1))
          (set-buffer-modified-p nil))
        (kill-buffer buf)
        (delete-file file)))))
