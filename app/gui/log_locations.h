// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace tattle::app {

/// The platform's usual firewall log files (ufw, kernel log, messages; the Windows Firewall log).
QStringList usualLogLocations();
/// Those of them that exist and this user can read.
QStringList readableLogLocations();

} // namespace tattle::app
