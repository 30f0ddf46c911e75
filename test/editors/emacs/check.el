;;; check.el --- End-to-end check of the keepalived language server in Emacs + eglot  -*- lexical-binding: t; -*-

;; Run through test/editors/emacs/run.sh (Debian 12: Emacs 28.2 + elpa-eglot 1.9), which copies
;; examples/nginx-failover into a temp folder and sets:
;;   KEEPALIVED_LSP_SERVER  absolute path of dist/server.js
;;   KEEPALIVED_LSP_FILE    absolute path of the temp copy of keepalived-master.conf
;;
;; Prints one "PASS <check>: <detail>" / "FAIL <check>: <detail>" line per check on stdout and ends
;; with (kill-emacs 1) if any failed.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'eglot)
(require 'flymake)

(defvar keepalived-check-server (getenv "KEEPALIVED_LSP_SERVER"))
(defvar keepalived-check-file (getenv "KEEPALIVED_LSP_FILE"))
(defvar keepalived-check-failures 0)
(defvar keepalived-check-count 0)
(defvar keepalived-check-start (float-time))

(defun keepalived-check--elapsed ()
  (format "%.1f s" (- (float-time) keepalived-check-start)))

(defun keepalived-check--out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun keepalived-check--one-line (s)
  "S on one line, at most 300 characters."
  (let ((s (replace-regexp-in-string "[ \t\n\r]+" " " (if (stringp s) s (format "%S" s)))))
    (if (> (length s) 300) (concat (substring s 0 300) "...") s)))

(defun keepalived-check--report (ok name detail)
  (cl-incf keepalived-check-count)
  (unless ok (cl-incf keepalived-check-failures))
  (keepalived-check--out "%s %s: %s" (if ok "PASS" "FAIL") name (keepalived-check--one-line detail)))

(defun keepalived-check--wait (seconds pred)
  "Process events until PRED returns non-nil or SECONDS pass; return PRED's value."
  (let ((deadline (+ (float-time) seconds))
        (value nil))
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

(defun keepalived-check--find (regexp &optional needle)
  "LSP position (plist) of the first line matching REGEXP, at NEEDLE in it (else at its start)."
  (save-excursion
    (goto-char (point-min))
    (when (re-search-forward regexp nil t)
      (beginning-of-line)
      (when needle (search-forward needle (line-end-position)) (goto-char (match-beginning 0)))
      ;; The example is ASCII, so a column in characters is the UTF-16 offset.
      (list :line (1- (line-number-at-pos)) :character (- (point) (line-beginning-position))))))

(defun keepalived-check--shift (pos n)
  (list :line (plist-get pos :line) :character (+ n (plist-get pos :character))))

(defun keepalived-check--request (server method pos)
  "Send METHOD at POS through eglot's connection; return (RESULT . ERROR-STRING)."
  (condition-case err
      (cons (jsonrpc-request server method
                             (list :textDocument (eglot--TextDocumentIdentifier) :position pos)
                             :timeout 10)
            nil)
    (error (cons nil (format "%S" err)))))

(defun keepalived-check--hover-text (result)
  "Text of hover RESULT: MarkupContent, MarkedString or a vector of them."
  (let ((c (plist-get result :contents)))
    (cond ((null c) nil)
          ((stringp c) c)
          ((vectorp c) (mapconcat (lambda (x) (if (stringp x) x (or (plist-get x :value) ""))) c "\n"))
          (t (plist-get c :value)))))

(define-derived-mode keepalived-mode prog-mode "keepalived"
  "Minimal major mode for keepalived.conf, enough for eglot."
  (setq-local comment-start "# "))

(defun keepalived-check--main ()
  (unless (and keepalived-check-server (file-readable-p keepalived-check-server))
    (error "KEEPALIVED_LSP_SERVER unset or missing: %S" keepalived-check-server))
  (unless (and keepalived-check-file (file-readable-p keepalived-check-file))
    (error "KEEPALIVED_LSP_FILE unset or missing: %S" keepalived-check-file))
  (add-to-list 'eglot-server-programs
               `(keepalived-mode . ("node" ,keepalived-check-server "--stdio")))
  (add-to-list 'auto-mode-alist '("keepalived.*\\.conf\\'" . keepalived-mode))
  (find-file keepalived-check-file)
  (unless (eq major-mode 'keepalived-mode) (keepalived-mode))
  ;; `eglot-ensure' only connects from `post-command-hook', which never runs in --batch;
  ;; this is M-x eglot: the contact is guessed from `eglot-server-programs' as for a user.
  (call-interactively #'eglot)
  (let ((server (keepalived-check--wait 15 (lambda () (and eglot--managed-mode (eglot-current-server))))))
    (keepalived-check--report (and server (jsonrpc-running-p server)) "eglot connects"
                              (if server (format "managed by %s after %s" (jsonrpc-name server) (keepalived-check--elapsed))
                                "buffer not managed by eglot within 15 s"))
    (when server
      ;; 1. Diagnostics, as flymake shows them. Eglot renders them as "source [code]: message"
      ;; but do not rely on the code being there: the message says the script runs as root.
      (let* ((script-line (plist-get (keepalived-check--find "^[ \t]*script[ \t]+\"/usr/bin/pgrep -x nginx\"") :line))
             ;; On the script line: the script-security-disabled warning also says "runs as root".
             (root-diag-p (lambda (d)
                            (let ((text (flymake-diagnostic-text d)))
                              (and (eql (1- (line-number-at-pos (flymake-diagnostic-beg d))) script-line)
                                   (or (string-match-p "script-runs-as-root" text)
                                       (string-match-p "runs as root" text))))))
             (found (keepalived-check--wait
                     20 (lambda () (cl-find-if root-diag-p (flymake-diagnostics)))))
             (line (and found (1- (line-number-at-pos (flymake-diagnostic-beg found))))))
        (keepalived-check--report
         found "flymake diagnostic: script runs as root"
         (if found (format "%d diagnostic(s) after %s; line %d (script line %s): %s" (length (flymake-diagnostics))
                           (keepalived-check--elapsed) line script-line (flymake-diagnostic-text found))
           (format "none on line %s within 20 s; flymake has %d diagnostic(s): %s" script-line
                   (length (flymake-diagnostics))
                   (mapcar (lambda (d) (format "line %d: %s" (1- (line-number-at-pos (flymake-diagnostic-beg d)))
                                               (flymake-diagnostic-text d)))
                           (flymake-diagnostics))))))

      ;; 2. Hover on `priority'.
      (let* ((pos (keepalived-check--find "^[ \t]*priority[ \t]" "priority"))
             (answer (keepalived-check--request server :textDocument/hover (keepalived-check--shift pos 2)))
             (text (keepalived-check--hover-text (car answer))))
        (keepalived-check--report
         (and text (string-match-p "priority" text) (string-match-p "255" text)) "hover priority"
         (if text (format "%d chars: %s" (length text) (substring text 0 (min 120 (length text))))
           (or (cdr answer) "empty hover"))))

      ;; 3. Definition from the chk_nginx reference inside track_script.
      (let* ((ref (save-excursion
                    (goto-char (point-min))
                    (re-search-forward "^[ \t]*track_script[ \t]*{")
                    (re-search-forward "chk_nginx")
                    (goto-char (match-beginning 0))
                    (list :line (1- (line-number-at-pos))
                          :character (- (point) (line-beginning-position)))))
             (def-line (plist-get (keepalived-check--find "^vrrp_script[ \t]+chk_nginx") :line))
             (answer (keepalived-check--request server :textDocument/definition (keepalived-check--shift ref 3)))
             (result (car answer))
             (loc (if (vectorp result) (and (> (length result) 0) (aref result 0)) result))
             (range (and loc (or (plist-get loc :targetSelectionRange) (plist-get loc :range))))
             (line (and range (plist-get (plist-get range :start) :line)))
             (uri (and loc (or (plist-get loc :targetUri) (plist-get loc :uri)))))
        (keepalived-check--report
         (and line (eql line def-line)
              (equal uri (plist-get (eglot--TextDocumentIdentifier) :uri)))
         "definition chk_nginx"
         (if range (format "line %d of %s, expected line %s" line (file-name-nondirectory (or uri "?")) def-line)
           (or (cdr answer) (format "%S" result)))))

      (ignore-errors (with-timeout (5) (eglot-shutdown server))))))

(condition-case err
    (keepalived-check--main)
  (error
   (cl-incf keepalived-check-failures)
   (keepalived-check--out "FAIL script error: %s" (keepalived-check--one-line (error-message-string err)))))

(keepalived-check--out "emacs %s: %d check(s), %d failed"
                       (if (zerop keepalived-check-failures) "OK" "FAILED")
                       keepalived-check-count keepalived-check-failures)
(kill-emacs (if (zerop keepalived-check-failures) 0 1))

;;; check.el ends here
