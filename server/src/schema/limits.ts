// keepalived's own limits, and the kernel's it checks against: facts about the program the configuration
// is for, as the schema's keywords are, so they live here and not with our budgets (analysis/budget.ts
// bounds the linter's own work, and each of those becomes an analysis-limit finding when hit).

/**
 * lib/parser.h MAXBUF: read_line() reads the configuration with fgets(buf, MAXBUF), so one read takes at
 * most MAXBUF - 1 bytes, and a line after `$PARAMETER` substitution must stay under MAXBUF bytes.
 */
export const MAXBUF = 1024;

/**
 * Linux's IFNAMSIZ (net/if.h): an interface name or an address label takes at most IFNAMSIZ - 1 bytes.
 * IP_VS_IFNAME_MAXLEN (linux/ip_vs.h), which lvs_sync_daemon's interface is held to, is the same 16.
 */
export const IFNAMSIZ = 16;

/**
 * The name Linux gives its loopback device: vrrp_int_handler (vrrp_parser.c 2.0.0-2.4.3) refuses an
 * interface of type ARPHRD_LOOPBACK for a vrrp_instance ("cannot use a loopback interface (lo) for vrrp -
 * ignoring") and leaves the instance without an interface.
 */
export const LOOPBACK_INTERFACE = 'lo';
