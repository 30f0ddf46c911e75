/*
 * LD_PRELOAD shim for the parity oracle (scripts/oracle.mjs). It is only ever loaded into
 * `keepalived -t` (the oracle sets LD_PRELOAD right before exec'ing keepalived) and changes nothing
 * about what keepalived checks; it only stops -t from silently killing itself and lets us read what
 * -t would otherwise log to nowhere.
 *
 * Built by the oracle with `gcc -shared -fPIC -O2 -o X.so X.c -ldl`.
 *
 * 1. getppid(). keepalived 2.2.7's check_script_secure() (lib/notify.c) ends, for every script that
 *    runs as a uid/gid other than keepalived's own, with
 *
 *        if (main_pid != getppid())
 *            kill(getpid(), SIGTERM);
 *
 *    main_pid is only set by start_keepalived(), which -t never reaches, so it is 0 there (checked by
 *    experiment: 0 at every getppid() call of `keepalived -t`), and -t dies with SIGTERM (exit 143,
 *    no message) at the first such script. We answer with main_pid itself (found with dlsym, since
 *    keepalived is linked with -rdynamic), i.e. "the parent is still alive", and 0 if the symbol is
 *    missing. The only other getppid() caller that -t reaches is lib/systemd.c, which asks whether
 *    the parent is pid 1: it is not, either way.
 *
 * 2. vlog_message(). In -t mode lib/logger.c's vlog_message() returns at once ("Don't write syslog
 *    if testing configuration"), so everything keepalived says through log_message() -- most script
 *    checks: "Cannot find script X in path - disabling", "Invalid user/group for notify_master script
 *    X - ignoring", ... -- is lost; only report_config_error() reaches stderr. When
 *    KEEPALIVED_ORACLE_LOG is set, we overwrite the entry of keepalived's own vlog_message() with a
 *    jump to a function that writes the message to stderr after the prefix "[keepalived log] ". That
 *    function returns like the original does in -t mode, so keepalived's behaviour is unchanged.
 *    x86-64 only; elsewhere (or if anything fails) the log is simply not captured, and the oracle
 *    sees that no "[keepalived log] " line was written.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LOG_PREFIX "[keepalived log] "

pid_t getppid(void)
{
	const pid_t *main_pid = dlsym(RTLD_DEFAULT, "main_pid");

	return main_pid ? *main_pid : 0;
}

static void oracle_vlog_message(int facility, const char *format, va_list args)
{
	char msg[4096], out[3 * sizeof msg];
	size_t n = 0, i;

	(void)facility;
	if (vsnprintf(msg, sizeof msg, format, args) < 0)
		return;
	/* Prefix every line, so a message with a newline in it never passes for report_config_error()
	 * output, and write it in one go, so it is never split by that output on the same fd. */
	memcpy(out, LOG_PREFIX, strlen(LOG_PREFIX));
	n = strlen(LOG_PREFIX);
	for (i = 0; msg[i] && n < sizeof out - strlen(LOG_PREFIX) - 2; i++) {
		out[n++] = msg[i];
		if (msg[i] == '\n') {
			memcpy(out + n, LOG_PREFIX, strlen(LOG_PREFIX));
			n += strlen(LOG_PREFIX);
		}
	}
	out[n++] = '\n';
	if (write(STDERR_FILENO, out, n) < 0)
		return;
}

__attribute__((constructor)) static void oracle_capture_log(void)
{
#if defined(__x86_64__)
	unsigned char *entry;
	uintptr_t target = (uintptr_t)&oracle_vlog_message;
	uintptr_t page, end;
	long page_size = sysconf(_SC_PAGESIZE);

	if (!getenv("KEEPALIVED_ORACLE_LOG") || page_size <= 0)
		return;
	/* Only in keepalived: both symbols come from its own executable. */
	entry = dlsym(RTLD_DEFAULT, "vlog_message");
	if (!entry || !dlsym(RTLD_DEFAULT, "report_config_error"))
		return;

	page = (uintptr_t)entry & ~(uintptr_t)(page_size - 1);
	end = ((uintptr_t)entry + 12 + (uintptr_t)page_size - 1) & ~(uintptr_t)(page_size - 1);
	if (mprotect((void *)page, end - page, PROT_READ | PROT_WRITE | PROT_EXEC))
		return;
	/* movabs $target, %rax; jmp *%rax  (rax is scratch at a function's entry) */
	entry[0] = 0x48;
	entry[1] = 0xb8;
	memcpy(entry + 2, &target, sizeof target);
	entry[10] = 0xff;
	entry[11] = 0xe0;
	mprotect((void *)page, end - page, PROT_READ | PROT_EXEC);
#endif
}
