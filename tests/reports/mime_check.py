# SPDX-License-Identifier: GPL-3.0-or-later
"""Parses an .eml with Python's email package (an independent MIME parser) and prints what it found
as JSON: the decoded headers, the addresses, every leaf part with its decoded content, and every defect
the parser noticed. Used by tests/reports/*_test.cpp: /usr/bin/python3 mime_check.py FILE.eml"""

import base64
import json
import sys
from email import policy
from email.parser import BytesParser


def addresses(message, name):
    header = message[name]
    if header is None:
        return None
    return [[a.display_name, a.addr_spec] for a in header.addresses]


def main():
    with open(sys.argv[1], "rb") as f:
        message = BytesParser(policy=policy.default).parse(f)
    defects = [f"{type(d).__name__}: {d}" for part in message.walk() for d in part.defects]
    for name, value in message.items():
        defects.extend(f"{name}: {type(d).__name__}: {d}" for d in getattr(value, "defects", ()))
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        data = part.get_payload(decode=True)
        entry = {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "disposition": part.get_content_disposition(),
            "filename": part.get_filename(),
            "data_base64": base64.b64encode(data).decode("ascii"),
        }
        if part.get_content_maintype() == "text":
            entry["text"] = part.get_content()
        parts.append(entry)
    result = {
        "defects": defects,
        "headers": [[name, str(value)] for name, value in message.items()],
        "from": addresses(message, "From"),
        "to": addresses(message, "To"),
        "cc": addresses(message, "Cc"),
        "reply_to": addresses(message, "Reply-To"),
        "subject": str(message["Subject"]) if message["Subject"] is not None else None,
        "date": message["Date"].datetime.isoformat() if message["Date"] is not None else None,
        "message_id": str(message["Message-ID"]) if message["Message-ID"] is not None else None,
        "content_type": message.get_content_type(),
        "parts": parts,
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
