// SPDX-License-Identifier: GPL-3.0-or-later
// The GUI tests' main: a QApplication on the offscreen platform, with settings and data kept in a scratch
// directory so that the tests never read or write the user's own.
#include "test_support.h"

#include <QApplication>
#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    const auto home = tattle::test::scratchDir();
    qputenv("XDG_CONFIG_HOME", QByteArray::fromStdString((home / "config").string()));
    qputenv("XDG_DATA_HOME", QByteArray::fromStdString((home / "data").string()));
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("tattle-tests"));
    QApplication::setApplicationName(QStringLiteral("tattle-gui-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
