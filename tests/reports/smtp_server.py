# SPDX-License-Identifier: GPL-3.0-or-later
"""A real SMTP server on loopback for the SMTP tests (Debian's python3-aiosmtpd).

    /usr/bin/python3 smtp_server.py --dir OUT [--tls none|starttls|implicit --cert C --key K]
                                    [--auth USER:PASSWORD] [--lifetime SECONDS]

Listens on 127.0.0.1 on a free port and prints "READY <port>" when it accepts connections. Every message
it receives is written as OUT/<n>.eml (the DATA bytes exactly as received, dot-unstuffed) and OUT/<n>.json
(envelope, TLS and AUTH state), both atomically. A recipient whose address contains "reject" is refused
with 550. With --auth, AUTH is required (and offered only once TLS is up, unless --tls none). The server
exits by itself after --lifetime seconds, so it can never outlive a crashed test."""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "reject" in address:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out_dir, str(self.count))
        auth = session.auth_data
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "login": auth.login.decode() if isinstance(auth, LoginPassword) else None,
            "ehlo": session.host_name,
        }
        for suffix, data in ((".eml", envelope.original_content), (".json", json.dumps(meta).encode())):
            with open(base + suffix + ".tmp", "wb") as f:
                f.write(data)
            os.rename(base + suffix + ".tmp", base + suffix)
        return f"250 2.0.0 Ok: queued as TEST{self.count}"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        if ok:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth")
    parser.add_argument("--lifetime", type=float, default=120)
    args = parser.parse_args()

    context = None
    if args.tls != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    handler = Handler(args.dir)
    options = {"hostname": "smtp.test.invalid", "timeout": 30}
    if args.tls == "starttls":
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(":", 1)
        options.update(authenticator=make_authenticator(user, password), auth_required=True,
                       auth_require_tls=args.tls == "starttls")

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1", port=0,
                                      ssl=context if args.tls == "implicit" else None)
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    try:
        await asyncio.wait_for(stop, timeout=args.lifetime)
    except asyncio.TimeoutError:
        print("lifetime over", file=sys.stderr)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
