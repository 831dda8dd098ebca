;;; ladder-mode.el --- Major mode and linting for ladder sales journals  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1"))
;; Keywords: languages, tools
;; URL: see the ladder project's docs/integrations.md

;;; Commentary:

;; `ladder-mode' edits `.ladder' sales journals: highlighting of dates,
;; status marks, kinds, clients, items, rungs, outcomes, directives and
;; comments; comment commands; an imenu of clients and entries.
;;
;; Linting, all through the `ladder' program (`ladder-executable'):
;; - Eglot: when eglot is installed (built in from Emacs 29; Debian 12:
;;   elpa-eglot), `ladder-mode' starts the language server `ladder lsp'
;;   with `eglot-ensure': diagnostics as you type (through flymake),
;;   completion at point, hover (eldoc), `xref' to a client's directive,
;;   imenu, quick fixes (`eglot-code-actions') and formatting.  The server
;;   is registered in `eglot-server-programs' for `ladder-mode'.  Set
;;   `ladder-use-eglot' to nil to keep to flymake below.
;; - Flymake: `ladder-flymake' lints the buffer as it is, saved or not,
;;   through standard input.  `ladder-mode' adds it to
;;   `flymake-diagnostic-functions'; turn on `flymake-mode' to use it.
;;   Eglot replaces it in the buffers it manages, and gives it back when
;;   it stops.
;; - lsp-mode: `ladder lsp' is registered as its server `ladder' too; set
;;   `ladder-use-eglot' to nil and add `lsp' to `ladder-mode-hook'.
;; - Flycheck: a `ladder' checker, defined once flycheck is loaded.
;; - M-x compile: `compile-command' is set to lint the file, and
;;   compilation buffers know ladder's messages (`ladder' in
;;   `compilation-error-regexp-alist').  The command asks ladder for the
;;   columns compilation mode counts: screen columns (a tab to 8, wide
;;   characters 2) with `--column-unit display', or characters when
;;   `compilation-error-screen-columns' is nil.
;;
;; Install: put this file on `load-path', then
;;   (require 'ladder-mode)
;;   (add-hook 'ladder-mode-hook #'flymake-mode)   ; optional

;;; Code:

(require 'flymake)
(require 'compile)

(defgroup ladder nil
  "Editing and linting ladder sales journals."
  :group 'languages
  :prefix "ladder-")

(defvaralias 'flycheck-ladder-executable 'ladder-executable
  "Flycheck's name for `ladder-executable'.")

(defcustom ladder-executable "ladder"
  "The ladder linter: a program name found on `exec-path', or a file name."
  :type 'string)

(defcustom ladder-lint-arguments nil
  "Extra arguments for `ladder lint', such as (\"--today\" \"2011-06-30\")."
  :type '(repeat string))

(defcustom ladder-use-eglot t
  "Whether `ladder-mode' lints through the language server with eglot.
When non-nil and eglot can be loaded, a `ladder-mode' buffer visiting a
file runs `eglot-ensure', which starts `ladder lsp' (see
`ladder-eglot-contact').  When nil, or without eglot, the buffer keeps
the `ladder-flymake' backend, which runs `ladder lint'."
  :type '(choice (const :tag "Eglot when it is installed" t)
                 (const :tag "Flymake on ladder lint only" nil)))

(defcustom ladder-lsp-initialization-options nil
  "The language server's settings, sent as its `initializationOptions'.
A plist, such as (:today \"2011-06-30\" :strict t :journal \"main.ladder\"
:options (:max-step 3) :rules (:over-ask \"error\")); nil sends none."
  :type 'plist)

;;;; Faces

(defface ladder-date-face '((t :inherit font-lock-constant-face))
  "Face for dates and times.")
(defface ladder-status-face '((t :inherit font-lock-builtin-face))
  "Face for an entry's status mark: *, ! or ~.")
(defface ladder-kind-face '((t :inherit font-lock-type-face))
  "Face for an entry's kind, such as (call).")
(defface ladder-client-face '((t :inherit font-lock-function-name-face))
  "Face for client names and aliases.")
(defface ladder-item-face '((t :inherit font-lock-keyword-face))
  "Face for item keywords: plan, ask, got, gave, next, note.")
(defface ladder-rung-face '((t :inherit font-lock-variable-name-face))
  "Face for rungs of the commitment ladder.")
(defface ladder-directive-face '((t :inherit font-lock-preprocessor-face))
  "Face for directives: ladder, client, alias, option, rule, include.")
(defface ladder-yes-face '((t :inherit success))
  "Face for the outcome yes.")
(defface ladder-no-face '((t :inherit error))
  "Face for the outcome no.")
(defface ladder-later-face '((t :inherit warning))
  "Face for the outcome later.")

;;;; Syntax

(defconst ladder--date-re
  "[0-9]\\{4\\}[-/.][0-9]\\{1,2\\}[-/.][0-9]\\{1,2\\}"
  "A date: YYYY-MM-DD, with / or . allowed for -.")

(defconst ladder--time-re "[0-9]\\{1,2\\}:[0-9]\\{2\\}"
  "A time: HH:MM.")

(defconst ladder--default-rungs
  '("intro" "meeting" "needs" "strategy" "visit" "reference" "proposal"
    "contract")
  "The default ladder, from the lowest rung.")

(defconst ladder--header-re
  (concat "^\\(" ladder--date-re "\\)"
          "\\(?:[ \t]+\\(" ladder--time-re "\\)\\)?"
          "\\(?:[ \t]+\\([*!~]\\)\\)?"
          "\\(?:[ \t]+\\(([^() \t\n]+)\\)\\)?"
          ;; the client runs to a bar, a comment (a ; after a blank) or the end
          "[ \t]+\\([^ \t\n|;][^\n|]*?\\)"
          "[ \t]*\\(?:|\\|[ \t];\\|$\\)")
  "An entry's header: 1 date, 2 time, 3 status, 4 kind, 5 client.")

(defvar ladder-mode-syntax-table
  (let ((st (make-syntax-table)))
    ;; Comments are found by `ladder--syntax-propertize': ; and # are
    ;; comment starters only in some places.
    (modify-syntax-entry ?\; "." st)
    (modify-syntax-entry ?# "." st)
    (modify-syntax-entry ?\n ">" st)
    (modify-syntax-entry ?\" "." st)
    (modify-syntax-entry ?' "." st)
    (modify-syntax-entry ?- "_" st)
    (modify-syntax-entry ?_ "_" st)
    st)
  "Syntax table for `ladder-mode'.")

(defconst ladder--syntax-propertize
  (syntax-propertize-rules
   ;; A line whose first non-blank is ; or #.
   ("^[ \t]*\\([;#]\\)" (1 "<"))
   ;; Elsewhere ; after a blank; # inside text is text.
   ("[ \t]\\(;\\)" (1 "<")))
  "Marks the characters that start a comment.")

(defun ladder--outcome-face (word)
  "The face for the outcome WORD."
  (pcase word
    ("yes" 'ladder-yes-face)
    ("no" 'ladder-no-face)
    (_ 'ladder-later-face)))

(defun ladder--block-keyword ()
  "The first word of the column-1 line that starts the block at point."
  (save-excursion
    (save-match-data
      (beginning-of-line)
      (when (re-search-backward "^[^ \t\n;#]" nil t)
        (and (looking-at "[^ \t\n;]+") (match-string-no-properties 0))))))

(defun ladder--match-ladder-rung (limit)
  "Font-lock matcher: the next rung line of a `ladder' block before LIMIT."
  (let (found)
    (while (and (not found)
                (re-search-forward "^[ \t]+\\([^ \t\n;#]+\\)" limit t))
      (setq found (equal (ladder--block-keyword) "ladder")))
    found))

(defconst ladder-font-lock-keywords
  `(;; entry headers; the date even when the rest is still being typed
    (,(concat "^\\(" ladder--date-re "\\)") (1 'ladder-date-face))
    (,ladder--header-re
     (1 'ladder-date-face)
     (2 'ladder-date-face nil t)
     (3 'ladder-status-face nil t)
     (4 'ladder-kind-face nil t)
     (5 'ladder-client-face))
    ;; items
    ("^[ \t]+\\(plan\\|ask\\|got\\)\\_>[ \t]*\\([^ \t\n;]*\\)"
     (1 'ladder-item-face)
     (2 'ladder-rung-face))
    ("^[ \t]+\\(gave\\|note\\)\\_>" (1 'ladder-item-face))
    (,(concat "^[ \t]+\\(next\\)\\_>"
              "\\(?:[ \t]+\\(?:\\(none\\)\\_>\\|\\(" ladder--date-re "\\)"
              "\\(?:[ \t]+\\(" ladder--time-re "\\)\\)?"
              "\\(?:[ \t]+\\(" (regexp-opt ladder--default-rungs) "\\)\\_>\\)?"
              "\\)\\)?")
     (1 'ladder-item-face)
     (2 'ladder-item-face nil t)
     (3 'ladder-date-face nil t)
     (4 'ladder-date-face nil t)
     (5 'ladder-rung-face nil t))
    ;; the outcome: the last -> WORD of an ask line
    ("^[ \t]+ask\\_>.*\\(->\\)[ \t]*\\(yes\\|no\\|later\\)\\_>[ \t]*\\(?:;.*\\)?$"
     (2 (ladder--outcome-face (match-string 2))))
    ;; directives
    ("^\\(client\\)\\_>[ \t]*\\([^ \t\n;][^\n]*?\\)?[ \t]*\\(?:[ \t];.*\\)?$"
     (1 'ladder-directive-face)
     (2 'ladder-client-face nil t))
    ("^[ \t]+\\(alias\\)\\_>[ \t]*\\([^ \t\n;][^\n]*?\\)?[ \t]*\\(?:[ \t];.*\\)?$"
     (1 'ladder-directive-face)
     (2 'ladder-client-face nil t))
    ("^\\(option\\)\\_>[ \t]*\\([^ \t\n;]+\\)?"
     (1 'ladder-directive-face)
     (2 'font-lock-variable-name-face nil t))
    ("^\\(rule\\)\\_>[ \t]*\\([^ \t\n;]+\\)?\\(?:[ \t]+\\(error\\|warning\\|note\\|off\\)\\_>\\)?"
     (1 'ladder-directive-face)
     (2 'font-lock-constant-face nil t)
     (3 'font-lock-builtin-face nil t))
    ("^\\(include\\|ladder\\)\\_>" (1 'ladder-directive-face))
    (ladder--match-ladder-rung (1 'ladder-rung-face)))
  "Highlighting for `ladder-mode'.")

;;;; Imenu

(defvar ladder-imenu-generic-expression
  `(("Clients" "^client[ \t]+\\([^ \t\n;][^\n]*?\\)[ \t]*\\(?:[ \t];.*\\)?$" 1)
    ("Entries" ,(concat "^\\(" ladder--date-re
                        "\\(?:[ \t]+[^ \t\n;][^\n]*?\\)?\\)"
                        "[ \t]*\\(?:[ \t];.*\\)?$")
     1))
  "Imenu: clients by their `client' directive, entries by their header.")

;;;; Reading ladder's gcc-form output

(defconst ladder--gcc-re
  "\\`\\(.+?\\):\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\)\\'"
  "FILE:LINE:COL: SEVERITY: MESSAGE, one output line.")

(defconst ladder--rest-re
  "\\`\\([0-9]+\\):\\([0-9]+\\): \\(error\\|warning\\|note\\): \\(.*\\)\\'"
  "LINE:COL: SEVERITY: MESSAGE, a line after a known file name and colon.")

(defun ladder--parse-gcc (output &optional file)
  "Parse ladder's gcc-form OUTPUT into a list of plists.
Each has :file :line :column (in bytes) :severity (a symbol) :message
\(the text after the severity, a rule id in brackets included) and :rule.
Lines that start with FILE and a colon are read as FILE's, whatever the
rest of the name looks like."
  (let (result)
    (dolist (line (split-string output "\r?\n" t))
      (let (name l c sev msg)
        (cond
         ((and file (string-prefix-p (concat file ":") line)
               (string-match ladder--rest-re (substring line (1+ (length file)))))
          (let ((rest (substring line (1+ (length file)))))
            (setq name file
                  l (match-string 1 rest) c (match-string 2 rest)
                  sev (match-string 3 rest) msg (match-string 4 rest))))
         ((string-match ladder--gcc-re line)
          (setq name (match-string 1 line)
                l (match-string 2 line) c (match-string 3 line)
                sev (match-string 4 line) msg (match-string 5 line))))
        (when name
          (push (list :file name
                      :line (string-to-number l)
                      :column (string-to-number c)
                      :severity (intern sev)
                      :message msg
                      :rule (and (string-match " \\[\\([A-Za-z0-9_-]+\\)\\]\\'" msg)
                                 (match-string 1 msg)))
                result))))
    (nreverse result)))

(defun ladder--stdin-name ()
  "The name under which the current buffer is linted."
  (or buffer-file-name (buffer-name)))

(defun ladder--same-file-p (reported name)
  "Non-nil when the file name REPORTED by ladder is NAME."
  (or (string= reported name)
      (string= (expand-file-name reported) (expand-file-name name))))

(defun ladder--byte-position (line column)
  "The buffer position of byte COLUMN (from 1) of LINE (from 1).
Columns count bytes of the UTF-8 text that ladder read; the position is
clamped to the line."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (forward-line (max 0 (1- line)))
      (let* ((bol (line-beginning-position))
             (eol (line-end-position))
             (pos (byte-to-position (+ (position-bytes bol) (max 0 (1- column))))))
        (min (max (or pos eol) bol) eol)))))

(defun ladder--region (line column)
  "The region (BEG . END) that a diagnostic at LINE and byte COLUMN covers.
BEG is exactly the reported column; END is the end of the word there."
  (let ((beg (ladder--byte-position line column)))
    (save-excursion
      (goto-char beg)
      (let ((bol (line-beginning-position))
            (eol (line-end-position)))
        (skip-chars-forward "^ \t\n")
        (cond ((> (point) beg) (cons beg (point)))
              ((< beg eol) (cons beg (1+ beg)))
              ((> beg bol) (cons (1- beg) beg))
              (t (cons beg (min (1+ beg) (point-max)))))))))

;;;; Flymake

(defvar-local ladder--flymake-process nil
  "The running `ladder-flymake' check of this buffer.")

(defun ladder--flymake-type (severity)
  "The flymake type of ladder's SEVERITY."
  (pcase severity
    ('error :error)
    ('warning :warning)
    (_ :note)))

(defun ladder--file-char-column (file line column cache)
  "The character column (from 1) of byte COLUMN on LINE of FILE.
CACHE is a hash table of buffers holding files read so far."
  (let ((buf (or (gethash file cache)
                 (puthash file
                          (with-current-buffer (generate-new-buffer " *ladder-include*")
                            (ignore-errors (insert-file-contents file))
                            (current-buffer))
                          cache))))
    (with-current-buffer buf
      (let ((pos (ladder--byte-position line column)))
        (save-excursion
          (goto-char pos)
          (1+ (- pos (line-beginning-position))))))))

(defun ladder--flymake-diagnostics (source output name)
  "Flymake diagnostics in buffer SOURCE from ladder's OUTPUT for NAME.
Diagnostics in other files (included journals) are reported for those
files: flymake shows them when the files are visited."
  (with-current-buffer source
    (let ((cache (make-hash-table :test #'equal))
          diags)
      (unwind-protect
          (dolist (d (ladder--parse-gcc output name))
            (let ((file (plist-get d :file))
                  (line (plist-get d :line))
                  (column (plist-get d :column))
                  (type (ladder--flymake-type (plist-get d :severity)))
                  (text (plist-get d :message)))
              (if (ladder--same-file-p file name)
                  (let ((region (ladder--region line column)))
                    (push (flymake-make-diagnostic source (car region) (cdr region)
                                                   type text)
                          diags))
                (let* ((file (expand-file-name file))
                       (buf (find-buffer-visiting file)))
                  (push (if buf
                            (let ((region (with-current-buffer buf
                                            (ladder--region line column))))
                              (flymake-make-diagnostic buf (car region) (cdr region)
                                                       type text))
                          (flymake-make-diagnostic
                           file (cons line (ladder--file-char-column file line column cache))
                           nil type text))
                        diags)))))
        (maphash (lambda (_ b) (kill-buffer b)) cache))
      (nreverse diags))))

(defun ladder--read-stderr (proc buffer)
  "The first line that the stderr pipe PROC wrote into BUFFER."
  (when (process-live-p proc)
    ;; Let the pipe drain; give up after a second.
    (let ((tries 10))
      (while (and (> tries 0) (process-live-p proc)
                  (accept-process-output proc 0.1))
        (setq tries (1- tries)))))
  (or (and (buffer-live-p buffer)
           (with-current-buffer buffer
             (car (split-string (buffer-string) "\n" t "[ \t\r]+"))))
      ""))

(defun ladder--flymake-finish (proc report-fn source out err-proc err name exe)
  "Report the ended check PROC of SOURCE to flymake through REPORT-FN.
OUT holds the output, ERR (filled by ERR-PROC) the error output, NAME is
the file name given to ladder, EXE the program."
  (let ((status (process-status proc))
        (code (process-exit-status proc)))
    (cond
     ((not (buffer-live-p source)))
     ((not (eq proc (buffer-local-value 'ladder--flymake-process source)))
      (flymake-log :debug "ignoring an obsolete check %s" proc))
     ((and (eq status 'exit) (memq code '(0 1)))
      (funcall report-fn
               (ladder--flymake-diagnostics
                source (with-current-buffer out (buffer-string)) name)))
     (t
      (let ((why (or (ladder--read-stderr err-proc err) "")))
        (funcall report-fn :panic
                 :explanation
                 (format "%s %s %d%s"
                         exe
                         (if (eq status 'signal) "died of signal" "exited with")
                         code
                         (if (equal why "") "" (concat ": " why)))))))))

;;;###autoload
(defun ladder-flymake (report-fn &rest _args)
  "Flymake backend: lint the buffer with ladder and call REPORT-FN.
The buffer's text goes through standard input, so unsaved changes are
linted; `--stdin-filename' names it, and includes resolve from its folder."
  (let ((exe (and ladder-executable (executable-find ladder-executable))))
    (if (not exe)
        (funcall report-fn :panic
                 :explanation (format "cannot find the ladder linter %S (see `ladder-executable')"
                                      ladder-executable))
      (let ((old ladder--flymake-process))
        ;; Forget it first: deleting it may run its sentinel at once.
        (setq ladder--flymake-process nil)
        (when (process-live-p old) (delete-process old)))
      (let* ((source (current-buffer))
             (name (ladder--stdin-name))
             (out (generate-new-buffer " *ladder-flymake*"))
             (err (generate-new-buffer " *ladder-flymake-stderr*"))
             (err-proc (make-pipe-process :name "ladder-flymake-stderr"
                                          :buffer err :noquery t
                                          :sentinel #'ignore))
             (proc nil))
        (condition-case e
            (setq proc
                  (make-process
                   :name "ladder-flymake" :noquery t :connection-type 'pipe
                   :buffer out :stderr err-proc
                   :coding 'utf-8-unix
                   :command (append (list exe "lint" "--format" "gcc")
                                    ladder-lint-arguments
                                    (list "--stdin-filename" name "--" "-"))
                   :sentinel
                   (lambda (p _event)
                     (when (memq (process-status p) '(exit signal))
                       (unwind-protect
                           (ladder--flymake-finish p report-fn source out
                                                   err-proc err name exe)
                         (when (process-live-p err-proc) (delete-process err-proc))
                         (kill-buffer out)
                         (kill-buffer err))))))
          (error
           (when (process-live-p err-proc) (delete-process err-proc))
           (kill-buffer out)
           (kill-buffer err)
           (funcall report-fn :panic
                    :explanation (format "cannot run %s: %s" exe
                                         (error-message-string e)))))
        (when proc
          (setq ladder--flymake-process proc)
          ;; A linter may exit without reading everything: then its exit
          ;; status, seen by the sentinel, is what counts.
          (ignore-errors
            (save-restriction
              (widen)
              (process-send-region proc (point-min) (point-max)))
            (process-send-eof proc)))))))

;;;; Eglot

(defvar eglot-server-programs)
(declare-function eglot-ensure "ext:eglot")

(defun ladder-eglot-contact (&optional _interactive)
  "The language server for eglot: `ladder-executable' with the argument lsp.
With `ladder-lsp-initialization-options', they go with it."
  (append (list ladder-executable "lsp")
          (and ladder-lsp-initialization-options
               (list :initializationOptions ladder-lsp-initialization-options))))

(defun ladder--eglot-register ()
  "Make `ladder-eglot-contact' eglot's server for `ladder-mode'."
  (setf (alist-get 'ladder-mode eglot-server-programs) #'ladder-eglot-contact))

(with-eval-after-load 'eglot (ladder--eglot-register))

(defun ladder--maybe-eglot ()
  "Start the language server with eglot, if wanted and possible.
Returns non-nil when eglot will manage the buffer."
  (when (and ladder-use-eglot buffer-file-name
             (require 'eglot nil t)
             (fboundp 'eglot-ensure))
    (eglot-ensure)
    t))

;;;; lsp-mode

(defvar lsp-language-id-configuration)
(defvar lsp-managed-mode)
(declare-function lsp-register-client "ext:lsp-mode" (client))
(declare-function make-lsp-client "ext:lsp-mode" (&rest args))
(declare-function lsp-stdio-connection "ext:lsp-mode" (command &optional test-command))
(declare-function lsp-activate-on "ext:lsp-mode" (&rest language-ids))

(defun ladder--lsp-mode-register ()
  "Make `ladder lsp' lsp-mode's server for `ladder-mode' buffers."
  (add-to-list 'lsp-language-id-configuration '(ladder-mode . "ladder"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection
                     (lambda () (list ladder-executable "lsp")))
    :activation-fn (lsp-activate-on "ladder")
    :initialization-options (lambda () ladder-lsp-initialization-options)
    :server-id 'ladder))
  (add-hook 'lsp-managed-mode-hook #'ladder--lsp-managed))

(defun ladder--lsp-managed ()
  "Keep `ladder-flymake' out of buffers whose diagnostics lsp-mode gives.
Unlike eglot, lsp-mode adds its flymake backend beside the others."
  (when (derived-mode-p 'ladder-mode)
    (if lsp-managed-mode
        (remove-hook 'flymake-diagnostic-functions #'ladder-flymake t)
      (add-hook 'flymake-diagnostic-functions #'ladder-flymake nil t))))

(with-eval-after-load 'lsp-mode (ladder--lsp-mode-register))

;;;; Compilation mode

(defconst ladder-compilation-regexp
  '(ladder
    "^\\([^:\n]+\\):\\([0-9]+\\):\\([0-9]+\\): \\(?:error\\|\\(warning\\)\\|\\(note\\)\\): "
    1 2 3 (4 . 5))
  "An entry of `compilation-error-regexp-alist-alist' for ladder's messages.
Compilation mode reads a column as a screen column (a tab to the next
multiple of 8, wide characters 2) or, when `compilation-error-screen-columns'
is nil, as a character count: `ladder-compile-command' asks ladder for that
unit with --column-unit.  A byte column (ladder's default) is exact on
ASCII lines without tabs only.")

(defvar compilation-error-screen-columns)

(defun ladder--compile-column-unit ()
  "The --column-unit that compilation mode reads: display or char."
  (if (and (boundp 'compilation-error-screen-columns)
           (not compilation-error-screen-columns))
      "char"
    "display"))

(defun ladder-compile-command (file)
  "The shell command that lints FILE for `compile'.
Its columns are in the unit compilation mode counts (see
`ladder--compile-column-unit').  Options go in `ladder-lint-arguments':
the file name comes after `--'."
  (mapconcat #'shell-quote-argument
             (append (list ladder-executable "lint" "--format" "gcc"
                           "--column-unit" (ladder--compile-column-unit))
                     ladder-lint-arguments
                     ;; --: a journal named like an option is still a file.
                     (list "--" file))
             " "))

(defvar compilation-error-regexp-alist-alist)
(defvar compilation-error-regexp-alist)

(with-eval-after-load 'compile
  (setf (alist-get 'ladder compilation-error-regexp-alist-alist)
        (cdr ladder-compilation-regexp))
  (add-to-list 'compilation-error-regexp-alist 'ladder))

(defun ladder-lint ()
  "Lint the current journal file with ladder, in a compilation buffer."
  (interactive)
  (unless buffer-file-name
    (user-error "This buffer visits no file; use flymake to lint it"))
  (compile (ladder-compile-command (file-relative-name buffer-file-name))))

;;;; The agenda

(defcustom ladder-agenda-arguments nil
  "Extra arguments for `ladder agenda', such as (\"--days\" \"7\")."
  :type '(repeat string)
  :group 'ladder)

(defconst ladder-agenda-regexp
  '(ladder-agenda "^\\([^:\n]+\\):\\([0-9]+\\): " 1 2 nil 1)
  "An entry of `compilation-error-regexp-alist-alist' for the agenda's
FILE:LINE: lines.  Each jumps to its `next' line or planned entry; they
are warnings, so that `next-error' visits them at the default
`compilation-skip-threshold'.")

(define-compilation-mode ladder-agenda-mode "Ladder-Agenda"
  "The agenda of a journal: overdue, coming and unscheduled next steps.
RET or `next-error' on a step visits its line."
  (setq-local compilation-error-regexp-alist (list (car ladder-agenda-regexp)))
  (setq-local compilation-error-regexp-alist-alist
              (list ladder-agenda-regexp)))

(defun ladder-agenda-command (file &optional args)
  "The shell command that makes the agenda of FILE, with ARGS."
  (mapconcat #'shell-quote-argument
             (append (list ladder-executable "agenda" "--format" "text"
                           "--color" "never")
                     ladder-agenda-arguments args
                     (list "--" file))
             " "))

(defun ladder-agenda (&optional file args)
  "Show the agenda of FILE (the current journal) in a compilation buffer.
Each step (FILE:LINE:) jumps to its `next' line or planned entry.  ARGS
are extra arguments; with a prefix argument, they are read."
  (interactive
   (list nil (and current-prefix-arg
                  (split-string-and-unquote
                   (read-string "ladder agenda arguments: ")))))
  (let ((file (or file buffer-file-name)))
    (unless file
      (user-error "This buffer visits no file: name a journal"))
    (let ((default-directory (file-name-directory (expand-file-name file))))
      (compilation-start (ladder-agenda-command (file-relative-name file) args)
                         #'ladder-agenda-mode
                         (lambda (_) "*ladder-agenda*")))))
;;;; Formatting

(defun ladder-format-buffer ()
  "Put the buffer in canonical form with `ladder fmt' (cli.md section 6).
The text goes through `ladder fmt -' and replaces the buffer's only
where it changed, so point and marks stay on their words.  A journal
with a syntax error is left alone; the errors are shown in the buffer
*ladder-fmt*."
  (interactive)
  (let* ((out (generate-new-buffer " *ladder-fmt-output*"))
         (err-file (make-temp-file "ladder-fmt"))
         (coding-system-for-read 'utf-8-unix)
         (coding-system-for-write 'utf-8-unix)
         (status
          (save-restriction
            (widen)
            (apply #'call-process-region (point-min) (point-max)
                   ladder-executable nil (list out err-file) nil
                   (append (list "fmt")
                           (when buffer-file-name
                             (list "--stdin-filename"
                                   (file-name-nondirectory buffer-file-name)))
                           (list "-"))))))
    (unwind-protect
        (if (eql status 0)
            (let ((errbuf (get-buffer "*ladder-fmt*")))
              (when errbuf (kill-buffer errbuf))
              (if (= (compare-buffer-substrings nil nil nil out nil nil) 0)
                  (message "ladder: already in canonical form")
                (save-restriction
                  (widen)
                  (replace-buffer-contents out))
                (message "ladder: formatted")))
          (with-current-buffer (get-buffer-create "*ladder-fmt*")
            (let ((inhibit-read-only t))
              (erase-buffer)
              (insert-file-contents err-file))
            (compilation-mode))
          (display-buffer "*ladder-fmt*")
          (message "ladder fmt: not formatted (exit %s): see *ladder-fmt*" status))
      (kill-buffer out)
      (delete-file err-file))))

;;;; Flycheck

(declare-function flycheck-define-command-checker "ext:flycheck")
(declare-function flycheck-error-new-at "ext:flycheck")
(defvar flycheck-checkers)

(defun ladder--flycheck-parse (output checker buffer)
  "Flycheck error parser: ladder's gcc-form OUTPUT for CHECKER in BUFFER.
Errors in included journals keep their own file names."
  (with-current-buffer buffer
    (let ((name (ladder--stdin-name))
          (cache (make-hash-table :test #'equal))
          errors)
      (unwind-protect
          (dolist (d (ladder--parse-gcc output name))
            (let* ((line (plist-get d :line))
                   (msg (plist-get d :message))
                   (rule (plist-get d :rule))
                   (level (pcase (plist-get d :severity)
                            ('error 'error) ('warning 'warning) (_ 'info)))
                   (text (if rule
                             (substring msg 0 (- (length msg) (length rule) 3))
                           msg)))
              (if (ladder--same-file-p (plist-get d :file) name)
                  (let* ((region (ladder--region line (plist-get d :column)))
                         (bol (save-excursion (goto-char (car region))
                                              (line-beginning-position))))
                    (push (flycheck-error-new-at
                           line (1+ (- (car region) bol)) level text
                           :id rule :checker checker :buffer buffer
                           :filename buffer-file-name
                           :end-line line :end-column (1+ (- (cdr region) bol)))
                          errors))
                (let ((file (expand-file-name (plist-get d :file))))
                  (push (flycheck-error-new-at
                         line (ladder--file-char-column file line (plist-get d :column) cache)
                         level text
                         :id rule :checker checker :buffer buffer :filename file)
                        errors)))))
        (maphash (lambda (_ b) (kill-buffer b)) cache))
      (nreverse errors))))

(with-eval-after-load 'flycheck
  (flycheck-define-command-checker 'ladder
    "Lints ladder sales journals with `ladder lint', through standard input."
    :command '("ladder" "lint" "--format" "gcc"
               (eval ladder-lint-arguments)
               "--stdin-filename" (eval (ladder--stdin-name)) "--" "-")
    :standard-input t
    :error-parser #'ladder--flycheck-parse
    :modes '(ladder-mode))
  (add-to-list 'flycheck-checkers 'ladder t))

;;;; The mode

;;;###autoload
(define-derived-mode ladder-mode prog-mode "Ladder"
  "Major mode for ladder sales journals (.ladder files).

With eglot installed and `ladder-use-eglot' on, the language server
`ladder lsp' lints as you type and completes names and rungs.  Otherwise
lint as you type with `flymake-mode' (the `ladder-flymake' backend) or
`flycheck-mode' (the `ladder' checker); \\[compile] lints the file.

\\{ladder-mode-map}"
  :syntax-table ladder-mode-syntax-table
  (setq-local comment-start "; ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "[;#]+[ \t]*")
  (setq-local comment-use-syntax t)
  (setq-local syntax-propertize-function ladder--syntax-propertize)
  (setq-local font-lock-defaults '(ladder-font-lock-keywords))
  (setq-local imenu-generic-expression ladder-imenu-generic-expression)
  (setq-local imenu-case-fold-search nil)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 4)
  (when buffer-file-name
    (setq-local compile-command
                (ladder-compile-command (file-name-nondirectory buffer-file-name))))
  (add-hook 'flymake-diagnostic-functions #'ladder-flymake nil t)
  (ladder--maybe-eglot))

(define-key ladder-mode-map (kbd "C-c C-c") #'ladder-lint)
(define-key ladder-mode-map (kbd "C-c C-f") #'ladder-format-buffer)

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.ladder\\'" . ladder-mode))

(provide 'ladder-mode)
;;; ladder-mode.el ends here
