// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/log_locations.h"

#include <QDir>
#include <QFileInfo>

namespace tattle::app {

QStringList usualLogLocations()
{
#ifdef Q_OS_WIN
    const QString windir = qEnvironmentVariable("windir", QStringLiteral("C:\\Windows"));
    return {QDir::toNativeSeparators(windir + QStringLiteral("/System32/LogFiles/Firewall/pfirewall.log"))};
#elif defined(Q_OS_MACOS)
    return {QStringLiteral("/var/log/appfirewall.log"), QStringLiteral("/var/log/pflog.txt")};
#else
    return {QStringLiteral("/var/log/ufw.log"), QStringLiteral("/var/log/kern.log"),
        QStringLiteral("/var/log/messages"), QStringLiteral("/var/log/firewalld"),
        QStringLiteral("/var/log/syslog")};
#endif
}

QStringList readableLogLocations()
{
    QStringList out;
    for (const auto& p : usualLogLocations()) {
        const QFileInfo fi(p);
        if (fi.isFile() && fi.isReadable()) out << p;
    }
    return out;
}

} // namespace tattle::app
