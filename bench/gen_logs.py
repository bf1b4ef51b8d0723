#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes synthetic, realistic firewall logs for tattle's benchmarks (standard library only).

Usage:
    bench/gen_logs.py --format netfilter --lines 1000000 --seed 1 --out /tmp/netfilter-1M.log
    bench/gen_logs.py --format zonealarm --lines 1000 --out -
    bench/gen_logs.py --format windows-firewall --lines 50000 --year-rollover --out pfirewall.log

The same --seed always gives the same bytes. The traffic is a mix, by share of lines:
  * heavy scanners: a few sources (documentation addresses) sweeping many ports in bursts, sequentially
    or in random order, a few milliseconds apart (masscan/nmap style: no DF, WINDOW=1024, fixed SPT);
  * worm-like sources: a few thousand public-looking sources, a few of them very busy, hammering
    445/135/139/1433/23/3389 from Windows-like stacks, again and again over the whole log;
  * recurring web/ssh/redis probers, UDP probes (DNS, NTP, SNMP, SIP, SSDP) and ICMP echo;
  * one-off sources: a fresh public-looking address each time, one SYN and maybe its retransmissions
    (tens of thousands of distinct sources per million lines);
  * IPv6 probes from 2001:db8::/32, allowed traffic (ssh/https clients), and, for netfilter, ~2 %
    unrelated syslog lines (sshd, CRON, systemd, other kernel messages).
Time only moves forward: exponential gaps between background lines (--mean-gap seconds on average),
milliseconds within a scanner's burst. --year-rollover starts on 31 December so that the log crosses
New Year (syslog timestamps have no year: parsers must notice Dec -> Jan).
"""

import argparse
import datetime
import random
import sys
import time

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Share of lines per traffic class (the rest of 1.0 is worm traffic).
SHARE_SWEEP = 0.30
SHARE_ONEOFF = 0.05
SHARE_PROBER = 0.12
SHARE_UDP = 0.08
SHARE_ICMP = 0.02
SHARE_IPV6 = 0.03
SHARE_ALLOW = 0.04
SHARE_NOISE = 0.02  # lines that are not firewall records (netfilter: other syslog programs)

WORM_PORTS = (445, 445, 445, 445, 135, 139, 139, 1433, 23, 23, 3389)
PROBER_PORTS = (22, 22, 80, 443, 8080, 8443, 3306, 5432, 6379, 5900, 25, 110, 8888, 9200, 2375, 7547)
UDP_PORTS = (53, 123, 161, 1900, 5060, 500, 11211, 19, 389, 137)
ALLOW_PORTS = (22, 443, 443, 443, 80)
TOP_PORTS = (21, 22, 23, 25, 53, 80, 81, 88, 110, 111, 135, 139, 143, 389, 443, 445, 465, 587, 993, 995,
             1080, 1433, 1521, 1723, 2049, 2375, 3128, 3306, 3389, 5000, 5432, 5900, 5985, 6379, 7001,
             8000, 8008, 8080, 8081, 8443, 8888, 9000, 9090, 9200, 10000, 11211, 27017, 50000)
SWEEP_MEAN_LENGTH = 1500  # lines per burst of a heavy scanner
SWEEP_GAP = 0.004  # mean seconds between the lines of a burst


def pick(rnd, seq):
    """A uniformly chosen element of seq."""
    return seq[int(rnd() * len(seq))]


def public_ipv4(rng):
    """A random unicast address outside private, reserved, multicast and documentation space."""
    while True:
        n = rng.getrandbits(32)
        a, b = n >> 24, (n >> 16) & 0xFF
        if a in (0, 10, 127) or a >= 224 or (a == 100 and 64 <= b < 128) or (a == 169 and b == 254):
            continue
        if (a == 172 and 16 <= b < 32) or (a == 192 and b in (0, 168)) or (a == 198 and b in (18, 19, 51)):
            continue
        if a == 203 and b == 0:
            continue
        return f"{a}.{b}.{(n >> 8) & 0xFF}.{n & 0xFF}"


def doc_ipv6(rng):
    """(full, compressed) text of a random 2001:db8::/32 address with a zero run, as scanners' hosts have."""
    g = [0x2001, 0xDB8, rng.getrandbits(16), rng.getrandbits(8), 0, 0, 0, rng.getrandbits(16) | 1]
    full = ":".join(f"{x:04x}" for x in g)
    short = f"2001:db8:{g[2]:x}:{g[3]:x}::{g[7]:x}"
    return full, short


class Event:
    """One abstract packet; the format writers render it."""

    __slots__ = ("t", "allow", "proto", "src", "src6", "spt", "dpt", "ln", "ttl", "ipid", "df", "win", "flags",
                 "itype", "out")

    def __init__(self):
        self.t = 0.0
        self.allow = False
        self.proto = "TCP"  # TCP, UDP, ICMP
        self.src = ""  # address as the kernel writes it (IPv6: full form)
        self.src6 = ""  # compressed IPv6 text, "" for IPv4
        self.spt = self.dpt = 0
        self.ln = 40
        self.ttl = 64
        self.ipid = 0
        self.df = False
        self.win = 1024
        self.flags = "SYN"
        self.itype = 8
        self.out = False  # outbound (a local client blocked on the way out)


class Traffic:
    """The traffic model: yields Event objects (one reused object) or None for a noise line."""

    def __init__(self, rng, start, mean_gap, noise_share, ipv6):
        self.rng = rng
        rnd = rng.random
        self.t = float(start)
        self.mean_gap = mean_gap
        self.scanners = [f"198.51.100.{2 + int(rnd() * 248)}" for _ in range(3)] + \
                        [f"192.0.2.{2 + int(rnd() * 248)}" for _ in range(3)] + \
                        [f"203.0.113.{100 + int(rnd() * 150)}" for _ in range(2)]
        self.worms = [public_ipv4(rng) for _ in range(3000)]
        self.probers = [public_ipv4(rng) for _ in range(800)]
        self.udpers = [public_ipv4(rng) for _ in range(400)]
        self.clients = [public_ipv4(rng) for _ in range(60)]
        self.v6scanners = [doc_ipv6(rng) for _ in range(4)]
        self.sweep = None  # [src, sequential?, next port, lines left, spt, ttl]
        self.pending = 0  # SYN retransmissions still due from the last one-off source
        # A burst covers SWEEP_MEAN_LENGTH lines; start one often enough to give SHARE_SWEEP overall.
        quiet_lines_per_sweep = SWEEP_MEAN_LENGTH * (1.0 - SHARE_SWEEP) / SHARE_SWEEP
        self.sweep_start_p = 1.0 / quiet_lines_per_sweep
        # Cumulative thresholds for the background classes (shares renormalised without the sweeps).
        rest = 1.0 - SHARE_SWEEP
        acc, self.cuts = 0.0, []
        ipv6_share = SHARE_IPV6 if ipv6 else 0.0
        for share in (SHARE_ONEOFF, SHARE_PROBER, SHARE_UDP, SHARE_ICMP, ipv6_share, SHARE_ALLOW, noise_share):
            acc += share / rest
            self.cuts.append(acc)
        self.ev = Event()

    def next(self):
        rng, rnd, e = self.rng, self.rng.random, self.ev
        r = rnd()
        if self.sweep is not None and r < 0.97:
            self.t += rng.expovariate(1.0 / SWEEP_GAP)
            return self._sweep_line()
        if self.pending:
            self.pending -= 1
            self.t += 3.0 if self.pending == 0 else 1.0  # SYN retransmission back-off
            e.t = self.t
            e.ipid = rng.getrandbits(16)
            return e
        self.t += rng.expovariate(1.0 / self.mean_gap)
        if self.sweep is None and r < self.sweep_start_p:
            self._start_sweep()
            return self._sweep_line()
        e.t = self.t
        e.allow = e.out = False
        e.src6 = ""
        e.ipid = rng.getrandbits(16)
        c = rnd()
        cuts = self.cuts
        if c < cuts[0]:  # one-off source
            e.src = public_ipv4(rng)
            self._tcp(pick(rnd, TOP_PORTS) if rnd() < 0.7 else 1 + int(rnd() * 65535), windows=False)
            self.pending = 0 if rnd() < 0.6 else 1 + int(rnd() * 2)
        elif c < cuts[1]:  # recurring prober
            e.src = self.probers[int(len(self.probers) * rnd() ** 2)]
            self._tcp(pick(rnd, PROBER_PORTS), windows=False)
        elif c < cuts[2]:  # UDP probe; a quarter from fresh sources
            e.src = self.udpers[int(len(self.udpers) * rnd() ** 2)] if rnd() < 0.75 else public_ipv4(rng)
            self._udp(pick(rnd, UDP_PORTS))
        elif c < cuts[3]:  # ping
            e.src = public_ipv4(rng) if rnd() < 0.3 else pick(rnd, self.probers)
            e.proto, e.ln, e.ttl, e.df, e.itype = "ICMP", 84, 40 + int(rnd() * 20), rnd() < 0.5, 8
        elif c < cuts[4]:  # IPv6
            e.src, e.src6 = pick(rnd, self.v6scanners) if rnd() < 0.8 else doc_ipv6(rng)
            self._tcp(pick(rnd, PROBER_PORTS), windows=False)
            e.ln = 80
        elif c < cuts[5]:  # allowed client traffic
            e.src = pick(rnd, self.clients)
            self._tcp(pick(rnd, ALLOW_PORTS), windows=False)
            e.allow, e.df, e.ln, e.ttl, e.win = True, True, 60, 50 + int(rnd() * 10), 64240
        elif c < cuts[6]:
            return None
        else:  # worm-like source: a few very busy, most occasional
            e.src = self.worms[int(len(self.worms) * rnd() ** 4)]
            self._tcp(pick(rnd, WORM_PORTS), windows=True)
            if rnd() < 0.02:  # a local host blocked on its way out
                e.out = True
        return e

    def _tcp(self, dpt, windows):
        e, rnd = self.ev, self.rng.random
        e.proto, e.dpt, e.flags = "TCP", dpt, "SYN"
        e.spt = 1024 + int(rnd() * 64512) if not windows else 49152 + int(rnd() * 16384)
        if windows:
            e.ln, e.ttl, e.df, e.win = 52, 100 + int(rnd() * 28), True, 8192
        else:
            e.ln, e.ttl, e.df, e.win = 60, 40 + int(rnd() * 24), True, 29200

    def _udp(self, dpt):
        e, rnd = self.ev, self.rng.random
        e.proto, e.dpt, e.spt = "UDP", dpt, 1024 + int(rnd() * 64512)
        e.ln, e.ttl, e.df = 28 + int(rnd() * 120), 40 + int(rnd() * 80), False

    def _start_sweep(self):
        rng, rnd = self.rng, self.rng.random
        src = self.scanners[int(len(self.scanners) * rnd() ** 2)]
        length = int(rng.expovariate(1.0 / SWEEP_MEAN_LENGTH)) + 20
        sequential = rnd() < 0.5
        first = 1 + int(rnd() * (65536 - length - 1)) if sequential and length < 65000 else 1
        self.sweep = [src, sequential, first, length, 32768 + int(rnd() * 32768), 230 + int(rnd() * 20)]

    def _sweep_line(self):
        e, rng, rnd, s = self.ev, self.rng, self.rng.random, self.sweep
        e.t = self.t
        e.allow = e.out = False
        e.src, e.src6 = s[0], ""
        e.proto, e.flags, e.spt, e.ttl = "TCP", "SYN", s[4], s[5]
        e.ln, e.df, e.win = 44, False, 1024
        e.ipid = rng.getrandbits(16)
        if s[1]:
            e.dpt = s[2]
            s[2] += 1
        else:
            e.dpt = pick(rnd, TOP_PORTS) if rnd() < 0.3 else 1 + int(rnd() * 65535)
        s[3] -= 1
        if s[3] <= 0 or s[2] > 65535:
            self.sweep = None
        return e


class NetfilterWriter:
    """UFW / iptables LOG lines as rsyslog writes kernel messages (RFC 3164 time, no year)."""

    def __init__(self, rng, start):
        self.rng = rng
        self.host = "fw-edge-01"
        self.boot = start - 3_456_789.25  # kernel uptime at the first line is about 40 days
        self.mac4 = "52:54:00:8c:1d:20:3c:fd:fe:a1:b2:c3:08:00"
        self.mac6 = "52:54:00:8c:1d:20:3c:fd:fe:a1:b2:c3:86:dd"
        self.dst = "203.0.113.10"
        self.dst6 = "2001:0db8:0000:0113:0000:0000:0000:0010"
        self.local = "203.0.113.10"
        self.sec = -1
        self.stamp = ""
        self.pid = 1200

    def header(self):
        return []

    def _stamp(self, t):
        s = int(t)
        if s != self.sec:
            self.sec = s
            tm = time.gmtime(s)
            self.stamp = (f"{MONTHS[tm.tm_mon - 1]} {tm.tm_mday:2d} "
                          f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
        return self.stamp

    def line(self, e):
        head = f"{self._stamp(e.t)} {self.host} kernel: [{e.t - self.boot:12.6f}] "
        tag = "[UFW ALLOW]" if e.allow else "[UFW BLOCK]"
        if e.src6:
            ip = f"SRC={e.src} DST={self.dst6} LEN={e.ln} TC=0 HOPLIMIT={e.ttl} FLOWLBL={e.ipid} "
            mac = self.mac6
        else:
            df = " DF" if e.df else ""
            if e.out:
                return (f"{head}{tag} IN= OUT=eth0 SRC={self.local} DST={e.src} LEN={e.ln} TOS=0x00 "
                        f"PREC=0x00 TTL=128 ID={e.ipid}{df} PROTO=TCP SPT={e.spt} DPT={e.dpt} "
                        f"WINDOW={e.win} RES=0x00 SYN URGP=0")
            ip = f"SRC={e.src} DST={self.dst} LEN={e.ln} TOS=0x00 PREC=0x00 TTL={e.ttl} ID={e.ipid}{df} "
            mac = self.mac4
        if e.proto == "TCP":
            l4 = f"PROTO=TCP SPT={e.spt} DPT={e.dpt} WINDOW={e.win} RES=0x00 {e.flags} URGP=0"
        elif e.proto == "UDP":
            l4 = f"PROTO=UDP SPT={e.spt} DPT={e.dpt} LEN={e.ln - 20}"
        else:
            l4 = f"PROTO=ICMP TYPE={e.itype} CODE=0 ID={e.ipid} SEQ={e.spt & 0xFF}"
        return f"{head}{tag} IN=eth0 OUT= MAC={mac} {ip}{l4}"

    def noise(self, t):
        rng, rnd = self.rng, self.rng.random
        stamp = self._stamp(t)
        self.pid += 1 + int(rnd() * 39)
        k = int(rnd() * 10)
        if k < 5:
            user = ("admin", "root", "oracle", "test", "ubuntu", "pi")[k]
            return (f"{stamp} {self.host} sshd[{self.pid}]: Invalid user {user} from {public_ipv4(rng)} "
                    f"port {1024 + int(rnd() * 64512)}")
        if k == 5:
            return (f"{stamp} {self.host} sshd[{self.pid}]: Connection closed by authenticating user root "
                    f"{public_ipv4(rng)} port {1024 + int(rnd() * 64512)} [preauth]")
        if k == 6:
            return (f"{stamp} {self.host} CRON[{self.pid}]: (root) CMD "
                    "(   cd / && run-parts --report /etc/cron.hourly)")
        if k == 7:
            return (f"{stamp} {self.host} systemd[1]: Started session-{self.pid}.scope - "
                    f"Session {self.pid} of User admin.")
        if k == 8:
            return (f"{stamp} {self.host} kernel: [{t - self.boot:12.6f}] "
                    "e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex")
        return (f"{stamp} {self.host} kernel: [{t - self.boot:12.6f}] audit: type=1400 "
                f'audit({t:.3f}:{self.pid}): apparmor="DENIED" operation="open" profile="snap.lxd" '
                f'name="/proc/{self.pid}/mounts" pid={self.pid}')


class ZoneAlarmWriter:
    """ZoneAlarm ZALog.txt: comma-separated security records with the local time and its GMT offset."""

    def __init__(self, rng, start):
        self.rng = rng
        self.local = "192.168.1.20"  # a home PC behind NAT, as ZoneAlarm users had
        self.sec = -1
        self.stamp = ""

    def header(self):
        return ["ZoneAlarm Logging Client v7.0.483.000",
                "Windows XP-5.1.2600-Service Pack 2-SP",
                "type,date,time,source,destination,transport (Security)",
                "type,date,time,virus name,file name,mode,e-mail id (Anti-Virus)",
                "type,date,time,source,destination,program,action (Malicious Code Protection)"]

    def _stamp(self, t):
        s = int(t)
        if s != self.sec:
            self.sec = s
            tm = time.gmtime(s)
            self.stamp = (f"{tm.tm_year}/{tm.tm_mon:02d}/{tm.tm_mday:02d},"
                          f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d} -5:00 GMT")
        return self.stamp

    def line(self, e):
        src = e.src6 or e.src
        if e.proto == "TCP":
            l4 = "TCP (flags:S)"
        elif e.proto == "UDP":
            l4 = "UDP"
        else:
            l4 = "ICMP (type:8/subtype:0)"
        sp, dp = (e.spt, e.dpt) if e.proto != "ICMP" else (0, 0)
        if e.out:
            return f"FWOUT,{self._stamp(e.t)},{self.local}:{sp},{src}:{dp},{l4}"
        kind = "FWIN_OK" if e.allow else "FWIN"
        return f"{kind},{self._stamp(e.t)},{src}:{sp},{self.local}:{dp},{l4}"

    def noise(self, t):
        rng, rnd = self.rng, self.rng.random
        if rnd() < 0.5:
            return (f"ACCESS,{self._stamp(t)},Generic Host Process for Win32 Services was blocked from "
                    f"accepting a connection from the Internet ({public_ipv4(rng)}:Port "
                    f"{1024 + int(rnd() * 64512)}).,N/A,N/A")
        return (f"PE,{self._stamp(t)},Firefox,C:\\Program Files\\Mozilla Firefox\\firefox.exe,"
                f"{public_ipv4(rng)}:443,N/A")


class WindowsFirewallWriter:
    """Windows Firewall pfirewall.log: W3C extended log with a #Fields header, local time."""

    def __init__(self, rng, start):
        self.rng = rng
        self.local = "192.168.1.20"
        self.local6 = "2001:db8:113::20"
        self.sec = -1
        self.stamp = ""

    def header(self):
        return ["#Version: 1.5",
                "#Software: Microsoft Windows Firewall",
                "#Time Format: Local",
                "#Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack "
                "tcpwin icmptype icmpcode info path"]

    def _stamp(self, t):
        s = int(t)
        if s != self.sec:
            self.sec = s
            tm = time.gmtime(s)
            self.stamp = (f"{tm.tm_year}-{tm.tm_mon:02d}-{tm.tm_mday:02d} "
                          f"{tm.tm_hour:02d}:{tm.tm_min:02d}:{tm.tm_sec:02d}")
        return self.stamp

    def line(self, e):
        src = e.src6 or e.src
        dst = self.local6 if e.src6 else self.local
        stamp = self._stamp(e.t)
        if e.out:
            return f"{stamp} DROP TCP {self.local} {src} {e.spt} {e.dpt} 0 - - - - - - - SEND"
        if e.allow:
            return f"{stamp} ALLOW TCP {src} {dst} {e.spt} {e.dpt} 0 - - - - - - - RECEIVE"
        if e.proto == "TCP":
            return (f"{stamp} DROP TCP {src} {dst} {e.spt} {e.dpt} {e.ln} S {e.ipid * 65537} 0 {e.win} "
                    f"- - - RECEIVE")
        if e.proto == "UDP":
            return f"{stamp} DROP UDP {src} {dst} {e.spt} {e.dpt} {e.ln} - - - - - - - RECEIVE"
        return f"{stamp} DROP ICMP {src} {dst} - - {e.ln} - - - - 8 0 - RECEIVE"

    def noise(self, t):
        # Windows writes the header again when the firewall service restarts.
        return self.header()


WRITERS = {"netfilter": NetfilterWriter, "zonealarm": ZoneAlarmWriter, "windows-firewall": WindowsFirewallWriter}
# Share of non-record lines, and whether the product logged IPv6 (ZoneAlarm's host:port text has no room for it).
NOISE = {"netfilter": SHARE_NOISE, "zonealarm": 0.01, "windows-firewall": 0.00002}
IPV6 = {"netfilter": True, "zonealarm": False, "windows-firewall": True}


def parse_start(text, rollover):
    t = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
    if rollover:
        t = t.replace(month=12, day=31, hour=12, minute=0, second=0)
    return int(t.timestamp())


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write a synthetic firewall log for benchmarks.")
    ap.add_argument("--format", required=True, choices=sorted(WRITERS))
    ap.add_argument("--lines", required=True, type=int, help="number of lines to write (headers included)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2024-03-01T00:00:00", help="local time of the first line")
    ap.add_argument("--year-rollover", action="store_true",
                    help="start at noon on 31 December of --start's year, so the log crosses New Year")
    ap.add_argument("--mean-gap", type=float, default=1.5, help="mean seconds between background lines")
    ap.add_argument("--out", default="-", help="output file, - for standard output")
    args = ap.parse_args(argv)
    if args.lines < 0 or args.mean_gap <= 0:
        ap.error("--lines must be >= 0 and --mean-gap > 0")

    rng = random.Random(args.seed)
    start = parse_start(args.start, args.year_rollover)
    writer = WRITERS[args.format](rng, start)
    traffic = Traffic(rng, start, args.mean_gap, NOISE[args.format], IPV6[args.format])

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="ascii", newline="\n")
    try:
        chunk = writer.header()[: args.lines]
        written = len(chunk)
        line, noise, nxt = writer.line, writer.noise, traffic.next
        while written < args.lines:
            e = nxt()
            if e is not None:
                chunk.append(line(e))
                written += 1
            else:
                extra = noise(traffic.t)
                if isinstance(extra, list):
                    chunk.extend(extra[: args.lines - written])
                    written += min(len(extra), args.lines - written)
                else:
                    chunk.append(extra)
                    written += 1
            if len(chunk) >= 4096:
                chunk.append("")
                out.write("\n".join(chunk))
                chunk = []
        if chunk:
            chunk.append("")
            out.write("\n".join(chunk))
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
