;;; ladder-flycheck-tests.el --- ERT tests for ladder-mode's flycheck checker  -*- lexical-binding: t; -*-

;; Run by tests/scripts/flycheck.sh with Debian's elpa-flycheck:
;;   emacs -Q --batch -L DIR-OF-LADDER-MODE -l this-file -f ert-run-tests-batch-and-exit
;; Environment: LADDER, WORK (holding sample.ladder), ELPA_DIR (where
;; Debian puts its elpa packages, normally /usr/share/emacs/site-lisp/elpa).

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'ladder-mode)                  ; before flycheck: the checker waits
(require 'package)
(setq package-directory-list (list (getenv "ELPA_DIR")))
(package-initialize)
(require 'flycheck)

(defvar ladder-fc-linter (getenv "LADDER"))
(defvar ladder-fc-work (file-name-as-directory (getenv "WORK")))
(defvar ladder-fc-sample (expand-file-name "sample.ladder" ladder-fc-work))

(defun ladder-fc-wait (pred &optional seconds)
  "Wait until PRED returns non-nil, at most SECONDS (default 20)."
  (let ((end (+ (float-time) (or seconds 20))) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) end))
      (accept-process-output nil 0.05))
    v))

(defun ladder-fc-check ()
  "Run flycheck on the current buffer and wait for it to finish."
  (flycheck-mode 1)
  (flycheck-select-checker 'ladder)
  (flycheck-buffer)
  (ladder-fc-wait (lambda () (and (not (flycheck-running-p))
                                  (memq flycheck-last-status-change
                                        '(finished errored suspicious))))))

(defun ladder-fc-byte-col (pos)
  "The UTF-8 byte column (from 1) of POS."
  (save-excursion
    (goto-char pos)
    (1+ (length (encode-coding-string
                 (buffer-substring-no-properties (line-beginning-position) pos)
                 'utf-8-unix)))))

(defun ladder-fc-errors ()
  "Flycheck's errors as (LINE BYTE-COL LEVEL ID MESSAGE), sorted."
  (ladder-fc-sort
   (mapcar (lambda (e)
             (list (flycheck-error-line e)
                   (ladder-fc-byte-col (flycheck-error-pos e))
                   (flycheck-error-level e)
                   (flycheck-error-id e)
                   (flycheck-error-message e)))
           flycheck-current-errors)))

(defun ladder-fc-sort (l)
  "Sort L by line, column and message."
  (sort l (lambda (a b)
            (or (< (nth 0 a) (nth 0 b))
                (and (= (nth 0 a) (nth 0 b))
                     (or (< (nth 1 a) (nth 1 b))
                         (and (= (nth 1 a) (nth 1 b))
                              (string< (nth 4 a) (nth 4 b)))))))))

(defun ladder-fc-expected (name text)
  "Ladder's own output for TEXT named NAME, as `ladder-fc-errors' gives it."
  (with-temp-buffer
    (let ((default-directory ladder-fc-work)
          (coding-system-for-read 'utf-8-unix)
          (coding-system-for-write 'utf-8-unix))
      (insert text)
      (call-process-region (point-min) (point-max) ladder-fc-linter t t nil
                           "lint" "--format" "gcc" "--today" "2011-06-30"
                           "--stdin-filename" name "-"))
    (let (out)
      (dolist (line (split-string (buffer-string) "\n" t))
        (when (string-match "\\`.*?:\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*?\\)\\(?: \\[\\([A-Za-z0-9_-]+\\)\\]\\)?\\'" line)
          (push (list (string-to-number (match-string 1 line))
                      (string-to-number (match-string 2 line))
                      (pcase (match-string 3 line)
                        ("error" 'error) ("warning" 'warning) (_ 'info))
                      (match-string 5 line)
                      (match-string 4 line))
                out)))
      (ladder-fc-sort (nreverse out)))))

(defmacro ladder-fc-with-sample (&rest body)
  "Visit a fresh copy of the sample journal and run BODY there."
  (declare (indent 0))
  `(let ((buf (find-file-noselect ladder-fc-sample t)))
     (unwind-protect
         (with-current-buffer buf
           (let ((ladder-executable ladder-fc-linter)
                 (ladder-lint-arguments '("--today" "2011-06-30")))
             ,@body))
       (with-current-buffer buf
         (when (bound-and-true-p flycheck-mode) (flycheck-mode -1))
         (set-buffer-modified-p nil))
       (kill-buffer buf))))

(ert-deftest ladder-fc-registered ()
  (should (flycheck-valid-checker-p 'ladder))
  (should (memq 'ladder flycheck-checkers))
  (should (equal (flycheck-checker-get 'ladder 'modes) '(ladder-mode)))
  (ladder-fc-with-sample
    (should (eq major-mode 'ladder-mode))
    (should (equal (flycheck-find-checker-executable 'ladder) ladder-fc-linter))
    (should (flycheck-may-use-checker 'ladder))))

(ert-deftest ladder-fc-saved ()
  (ladder-fc-with-sample
    (should (ladder-fc-check))
    (should (eq flycheck-last-status-change 'finished))
    (let ((want (ladder-fc-expected ladder-fc-sample (buffer-string))))
      (should want)
      (should (equal (ladder-fc-errors) want)))
    (let ((e (cl-find-if (lambda (e) (equal (flycheck-error-id e) "unknown-rung"))
                         flycheck-current-errors)))
      (should e)
      (should (eq (flycheck-error-level e) 'error))
      (should (= (flycheck-error-line e) 10))
      (should (= (flycheck-error-column e) 11)))
    ;; line 15: non-ASCII text before the column; byte 61 is character 53
    (let ((e (cl-find-if (lambda (e) (equal (flycheck-error-id e) "syntax"))
                         flycheck-current-errors)))
      (should e)
      (should (= (flycheck-error-line e) 15))
      (should (= (ladder-fc-byte-col (flycheck-error-pos e)) 61))
      (save-excursion
        (goto-char (flycheck-error-pos e))
        (should (looking-at "maybe"))))))

(ert-deftest ladder-fc-notes ()
  (let* ((file (expand-file-name "warnings.ladder" ladder-fc-work))
         (buf (find-file-noselect file t)))
    (unwind-protect
        (with-current-buffer buf
          (let ((ladder-executable ladder-fc-linter)
                (ladder-lint-arguments '("--today" "2011-06-30")))
            (should (ladder-fc-check))
            (let ((want (ladder-fc-expected file (buffer-string))))
              (should want)
              (should (equal (ladder-fc-errors) want)))
            (should (cl-find-if (lambda (e) (and (= (flycheck-error-line e) 9)
                                                 (eq (flycheck-error-level e) 'warning)
                                                 (equal (flycheck-error-id e) "duplicate-entry")))
                                flycheck-current-errors))
            (should (cl-find-if (lambda (e) (and (= (flycheck-error-line e) 4)
                                                 (eq (flycheck-error-level e) 'info)
                                                 (null (flycheck-error-id e))))
                                flycheck-current-errors))
            (flycheck-mode -1)))
      (kill-buffer buf))))

(ert-deftest ladder-fc-unsaved ()
  (ladder-fc-with-sample
    (goto-char (point-min))
    (re-search-forward "ask   intr ")
    (replace-match "ask   intro")
    (goto-char (point-max))
    (insert "    got   contrat\n")
    (should (buffer-modified-p))
    (should (ladder-fc-check))
    (should (equal (ladder-fc-errors)
                   (ladder-fc-expected ladder-fc-sample (buffer-string))))
    (should-not (cl-find-if (lambda (e) (= (flycheck-error-line e) 10)) flycheck-current-errors))
    (should (cl-find-if (lambda (e) (and (= (flycheck-error-line e) 17)
                                         (equal (flycheck-error-id e) "unknown-rung")))
                        flycheck-current-errors))))

(ert-deftest ladder-fc-include ()
  "Errors of an included journal keep its file name and character column."
  (let* ((dir (expand-file-name "fcinc/" ladder-fc-work))
         (main (expand-file-name "main.ladder" dir))
         (other (expand-file-name "other.ladder" dir)))
    (make-directory dir t)
    (with-temp-file main
      (insert "include other.ladder\n2011-02-14 * (call) Acme | x\n    ask   intr  y\n"))
    (with-temp-file other
      (insert "2011-02-15 * (call) Acme | y\n    ask   intro  Café ☕ -> peut-être\n"))
    (let ((buf (find-file-noselect main t)))
      (unwind-protect
          (with-current-buffer buf
            (let ((ladder-executable ladder-fc-linter)
                  (ladder-lint-arguments '("--today" "2011-06-30")))
              (should (ladder-fc-check))
              (should (cl-find-if (lambda (e) (and (equal (flycheck-error-filename e) main)
                                                   (= (flycheck-error-line e) 3)
                                                   (= (flycheck-error-column e) 11)
                                                   (equal (flycheck-error-id e) "unknown-rung")))
                                  flycheck-current-errors))
              ;; "    ask   intro  Café ☕ -> " is 27 characters, 30 bytes
              (should (cl-find-if (lambda (e) (and (equal (flycheck-error-filename e) other)
                                                   (= (flycheck-error-line e) 2)
                                                   (= (flycheck-error-column e) 28)
                                                   (equal (flycheck-error-id e) "syntax")))
                                  flycheck-current-errors))
              (flycheck-mode -1)))
        (kill-buffer buf)))))

(ert-deftest ladder-fc-missing-linter ()
  (ladder-fc-with-sample
    (let ((ladder-executable (expand-file-name "no-such-ladder" ladder-fc-work)))
      (should-not (flycheck-find-checker-executable 'ladder))
      (should-not (flycheck-may-use-checker 'ladder))
      (flycheck-mode 1)
      (flycheck-buffer)                 ; must not signal
      (ladder-fc-wait (lambda () (not (flycheck-running-p))) 5)
      (should-not flycheck-current-errors))))

(provide 'ladder-flycheck-tests)
;;; ladder-flycheck-tests.el ends here
