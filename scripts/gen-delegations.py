#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds resources/iana/delegations.json: which registry holds which address block or AS number range,
which WHOIS server answers for it and which RDAP base URLs serve it.

Inputs (all public registry data, see ../shared/samples/SOURCES.md):
  ipv4-address-space.csv             IANA IPv4 /8 registry (designation, WHOIS server, RDAP URLs)
  rdap-bootstrap/{ipv4,ipv6,asn}.json IANA RDAP bootstrap files (RFC 9224)
  whois-server-map/rfc1036-whois-{ip_del_list,ip6_del_list,as_del_list}.txt
                                     the Debian whois client's tables, which add the national registries
                                     (JPNIC, KRNIC, TWNIC) and blocks that moved between RIRs

Rules: IANA's /8 registry is authoritative for IPv4 /8s; the whois client's more specific blocks, and its
/8s that name a national registry, refine it. RDAP base URLs come from the bootstrap files (the most
specific prefix that contains the block), else the IANA CSV's RDAP column, else the registry's own. The
C++ loader (core/resolver/registry_map.cpp) resolves overlaps the same way: the smallest block wins.

Usage: scripts/gen-delegations.py [--iana DIR] [--out FILE]
"""

import argparse
import csv
import ipaddress
import json
import os
import sys

RIRS = {
    "arin": {"whois": "whois.arin.net", "rdap_host": "rdap.arin.net"},
    "ripe": {"whois": "whois.ripe.net", "rdap_host": "rdap.db.ripe.net"},
    "apnic": {"whois": "whois.apnic.net", "rdap_host": "rdap.apnic.net"},
    "lacnic": {"whois": "whois.lacnic.net", "rdap_host": "rdap.lacnic.net"},
    "afrinic": {"whois": "whois.afrinic.net", "rdap_host": "rdap.afrinic.net"},
}
# National registries below APNIC that run their own WHOIS server.
NIRS = {
    "jpnic": {"whois": "whois.nic.ad.jp", "rir": "apnic"},
    "krnic": {"whois": "whois.nic.or.kr", "rir": "apnic"},
    "twnic": {"whois": "whois.twnic.net", "rir": "apnic"},
}
# Entries of the whois client's tables that tattle does not use: special cases handled in
# core/resolver/address_space.cpp (6to4, Teredo), a dead military server and an RWhois server that ARIN
# refers to by itself when needed.
SKIPPED_SERVERS = {"UNKNOWN", "teredo", "6to4", "whois.nic.mil", "rwhois.gin.ntt.net"}


def registry_of_server(name):
    """Maps a whois-client short name or a WHOIS host to a registry id, or None."""
    name = name.strip().lower()
    if name in RIRS or name in NIRS:
        return name
    for rid, info in list(RIRS.items()) + list(NIRS.items()):
        if info["whois"] == name:
            return rid
    return None


def registry_of_rdap(urls):
    for url in urls:
        host = url.split("://", 1)[-1].split("/", 1)[0].lower()
        for rid, info in RIRS.items():
            if info["rdap_host"] == host:
                return rid
    return None


def sort_urls(urls):
    """https first (RFC 9224 section 3: prefer https), order otherwise kept, duplicates dropped."""
    out = []
    for u in [u for u in urls if u.startswith("https://")] + [u for u in urls if not u.startswith("https://")]:
        u = u.strip()
        if u and not u.endswith("/"):
            u += "/"
        if u and u not in out:
            out.append(u)
    return out


def read_del_list(path, ipv6):
    """(network, registry id) from ip_del_list / ip6_del_list, in file order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) < 2:
                sys.exit(f"{path}:{lineno}: expected 'PREFIX SERVER'")
            if fields[1] in SKIPPED_SERVERS:
                continue
            rid = registry_of_server(fields[1])
            if rid is None:
                sys.exit(f"{path}:{lineno}: unknown server {fields[1]!r}")
            net = ipaddress.ip_network(fields[0], strict=True)
            if (net.version == 6) != ipv6:
                sys.exit(f"{path}:{lineno}: wrong address family")
            out.append((net, rid))
    return out


def parse_asn(text):
    """'64496' or asdot '2.0' -> int."""
    if "." in text:
        hi, lo = text.split(".", 1)
        return int(hi) * 65536 + int(lo)
    return int(text)


def read_as_del_list(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) < 3:
                sys.exit(f"{path}:{lineno}: expected 'FIRST LAST SERVER'")
            if fields[2] in SKIPPED_SERVERS:
                continue
            rid = registry_of_server(fields[2])
            if rid is None:
                sys.exit(f"{path}:{lineno}: unknown server {fields[2]!r}")
            out.append(((parse_asn(fields[0]), parse_asn(fields[1])), rid))
    return out


def read_bootstrap(path):
    """[(key, [urls])] from an IANA RDAP bootstrap file, plus its publication date."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = []
    for i, service in enumerate(doc.get("services", [])):
        if not isinstance(service, list) or len(service) != 2:
            sys.exit(f"{path}: /services/{i}: expected [[keys], [urls]]")
        for key in service[0]:
            out.append((key, sort_urls(service[1])))
    return out, doc.get("publication", "")


def read_ipv4_csv(path):
    """[(network, registry id, [rdap urls])] for every /8 that IANA lists with a WHOIS server."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            whois = (row.get("WHOIS") or "").strip()
            if not whois:
                continue
            rid = registry_of_server(whois)
            if rid is None:
                sys.exit(f"{path}: prefix {row['Prefix']}: unknown WHOIS server {whois!r}")
            first = int(row["Prefix"].split("/", 1)[0])
            net = ipaddress.ip_network(f"{first}.0.0.0/8")
            urls = sort_urls([u for u in (row.get("RDAP") or "").split() if u])
            out.append((net, rid, urls))
    return out


def most_specific(candidates, contains, size):
    best = None
    for c in candidates:
        if contains(c) and (best is None or size(c) < size(best)):
            best = c
    return best


def rir_of(rid):
    return NIRS[rid]["rir"] if rid in NIRS else rid


def rir_urls(rdap_by_rir, rid):
    return rdap_by_rir.get(rir_of(rid), [])


def build_ip(whois_layer, rdap_layer, rdap_by_rir):
    """whois_layer: [(net, rid, priority)]; rdap_layer: [(net, urls)]. -> sorted entry dicts."""
    chosen = {}
    for net, rid, prio in whois_layer:
        old = chosen.get(net)
        if old is None or prio >= old[1]:
            chosen[net] = (rid, prio)
    nets = set(chosen) | {n for n, _ in rdap_layer}
    entries = []
    for net in nets:
        holder = most_specific(
            [(n, r) for n, (r, _) in chosen.items()], lambda c: net.subnet_of(c[0]), lambda c: c[0].num_addresses
        )
        if holder is None:
            # An RDAP-only block (a bootstrap prefix the WHOIS tables do not refine): the registry behind it.
            rdap_only = [u for n, u in rdap_layer if n == net][0]
            rid = registry_of_rdap(rdap_only)
            if rid is None:
                continue
        else:
            rid = holder[1]
        rdap = most_specific(rdap_layer, lambda c: net.subnet_of(c[0]), lambda c: c[0].num_addresses)
        urls = rdap[1] if rdap else rir_urls(rdap_by_rir, rid)
        entries.append((net, rid, urls))
    entries.sort(key=lambda e: (e[0].network_address, e[0].prefixlen))
    return [entry_dict("prefix", str(net), rid, urls) for net, rid, urls in entries]


def entry_dict(key, value, rid, urls):
    d = {key: value, "registry": rid}
    if rir_of(rid) != rid:
        d["rir"] = rir_of(rid)
    d["whois"] = NIRS[rid]["whois"] if rid in NIRS else RIRS[rid]["whois"]
    d["rdap"] = urls
    return d


def build_asn(whois_layer, rdap_layer, rdap_by_rir):
    """Ranges of AS numbers; the smallest containing range decides, as for address blocks."""
    chosen = {}
    for rng, rid, prio in whois_layer:
        old = chosen.get(rng)
        if old is None or prio >= old[1]:
            chosen[rng] = (rid, prio)
    ranges = set(chosen) | {r for r, _ in rdap_layer}
    inside = lambda inner, outer: outer[0] <= inner[0] and inner[1] <= outer[1]
    width = lambda r: r[1] - r[0]
    entries = []
    for rng in ranges:
        holder = most_specific([(r, v[0]) for r, v in chosen.items()], lambda c: inside(rng, c[0]), lambda c: width(c[0]))
        if holder is None:
            rid = registry_of_rdap([u for r, u in rdap_layer if r == rng][0])
            if rid is None:
                continue
        else:
            rid = holder[1]
        rdap = most_specific(rdap_layer, lambda c: inside(rng, c[0]), lambda c: width(c[0]))
        urls = rdap[1] if rdap else rir_urls(rdap_by_rir, rid)
        entries.append((rng, rid, urls))
    entries.sort()
    return [
        entry_dict("range", f"{a}" if a == b else f"{a}-{b}", rid, urls) for (a, b), rid, urls in entries
    ]


def dump(doc):
    """One entry per line: small diffs when IANA's data changes, still valid JSON."""
    lines = ["{"]
    meta = [k for k in doc if k not in ("ipv4", "ipv6", "asn")]
    for k in meta:
        lines.append(f"  {json.dumps(k)}: {json.dumps(doc[k], ensure_ascii=False)},")
    for i, section in enumerate(("ipv4", "ipv6", "asn")):
        lines.append(f"  {json.dumps(section)}: [")
        rows = doc[section]
        for j, row in enumerate(rows):
            lines.append("    " + json.dumps(row, ensure_ascii=False) + ("," if j + 1 < len(rows) else ""))
        lines.append("  ]" + ("," if i < 2 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iana", default=os.path.join(here, "..", "..", "shared", "samples", "iana"))
    parser.add_argument("--out", default=os.path.join(here, "..", "resources", "iana", "delegations.json"))
    args = parser.parse_args()
    iana = args.iana

    boot4, pub4 = read_bootstrap(os.path.join(iana, "rdap-bootstrap", "ipv4.json"))
    boot6, pub6 = read_bootstrap(os.path.join(iana, "rdap-bootstrap", "ipv6.json"))
    boota, puba = read_bootstrap(os.path.join(iana, "rdap-bootstrap", "asn.json"))
    rdap_by_rir = {}
    for _, urls in boot4 + boot6 + boota:
        rid = registry_of_rdap(urls)
        if rid and rid not in rdap_by_rir:
            rdap_by_rir[rid] = urls

    # IPv4. Priorities on an identical prefix: whois client (knows the NIRs) 3 > IANA CSV 2.
    csv4 = read_ipv4_csv(os.path.join(iana, "ipv4-address-space.csv"))
    del4 = read_del_list(os.path.join(iana, "whois-server-map", "rfc1036-whois-ip_del_list.txt"), ipv6=False)
    whois4 = [(n, r, 2) for n, r, _ in csv4]
    whois4 += [(n, r, 3) for n, r in del4 if n.prefixlen > 8 or r in NIRS]
    rdap4 = [(n, u) for n, _, u in csv4 if u] + [(ipaddress.ip_network(k), u) for k, u in boot4]
    ipv4 = build_ip(whois4, rdap4, rdap_by_rir)

    # IPv6: the bootstrap names the RIR of each block; the whois client adds the NIR blocks.
    del6 = read_del_list(os.path.join(iana, "whois-server-map", "rfc1036-whois-ip6_del_list.txt"), ipv6=True)
    rdap6 = [(ipaddress.ip_network(k), u) for k, u in boot6]
    whois6 = [(n, registry_of_rdap(u), 1) for n, u in rdap6 if registry_of_rdap(u)]
    whois6 += [(n, r, 3) for n, r in del6]
    ipv6 = build_ip(whois6, rdap6, rdap_by_rir)

    # AS numbers.
    dela = read_as_del_list(os.path.join(iana, "whois-server-map", "rfc1036-whois-as_del_list.txt"))
    rdapa = []
    for key, urls in boota:
        a, _, b = key.partition("-")
        rdapa.append(((int(a), int(b or a)), urls))
    whoisa = [(r, registry_of_rdap(u), 1) for r, u in rdapa if registry_of_rdap(u)]
    whoisa += [(r, rid, 3 if rid in NIRS else 2) for r, rid in dela]
    asn = build_asn(whoisa, rdapa, rdap_by_rir)

    doc = {
        "format": "tattle-delegations-1",
        "generator": "scripts/gen-delegations.py",
        "sources": {
            "ipv4-address-space.csv": "IANA IPv4 address space registry",
            "rdap-bootstrap/ipv4.json": pub4,
            "rdap-bootstrap/ipv6.json": pub6,
            "rdap-bootstrap/asn.json": puba,
            "whois-server-map": "Debian whois client ip_del_list, ip6_del_list, as_del_list",
        },
        "ipv4": ipv4,
        "ipv6": ipv6,
        "asn": asn,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(dump(doc))
    print(f"{args.out}: {len(ipv4)} IPv4 blocks, {len(ipv6)} IPv6 blocks, {len(asn)} AS ranges")


if __name__ == "__main__":
    main()
