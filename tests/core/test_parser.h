// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/parser.h"

#include <memory>

namespace tattle::test {

/// A tiny CSV format for testing the core without the real parsers:
/// `TIME,ACTION,PROTO,SRC,SPORT,DST,DPORT` (RFC 3339 time, block|allow|out, tcp|udp|icmp; ports may be
/// empty; "out" is an outbound block), optionally followed by `,FLAGS` (TCP flag letters S A R F P).
/// Lines starting with '#' are Ignored, lines starting with "noise" are NotMine, anything else that does
/// not fit is Malformed.
std::unique_ptr<core::Parser> makeTestCsvParser();

} // namespace tattle::test
