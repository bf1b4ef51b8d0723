// SPDX-License-Identifier: GPL-3.0-or-later
// tattle-gui: the desktop front end. Options: --db FILE, --screenshot OUT.png [--view ...], log files to
// open.
#include "app/gui/main_window.h"
#include "core/resources.h"
#include "core/settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tattle-gui"));
    QApplication::setOrganizationName(QStringLiteral("tattle"));
    QApplication::setApplicationVersion(QStringLiteral(TATTLE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("se.tattle.Tattle"));

    QTranslator translator, qtTranslator;
    if (translator.load(QLocale(), QStringLiteral("tattle"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);
    if (qtTranslator.load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "See who probes your firewall and tell their ISP."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption db(QStringLiteral("db"),
        QApplication::translate("main", "Database file (default: %1).")
            .arg(QString::fromStdString(tattle::core::defaultDatabasePath().string())),
        QStringLiteral("FILE"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QApplication::translate("main", "Render the window to a PNG file and exit."),
        QStringLiteral("OUT.png"));
    QCommandLineOption view(QStringLiteral("view"),
        QApplication::translate("main", "The view to show: sources, events, charts or report."),
        QStringLiteral("VIEW"), QStringLiteral("sources"));
    parser.addOptions({db, screenshot, view});
    parser.addPositionalArgument(QStringLiteral("logs"),
        QApplication::translate("main", "Log files to import."), QStringLiteral("[logs...]"));
    parser.process(app);

    const QStringList views {QStringLiteral("sources"), QStringLiteral("events"), QStringLiteral("charts"),
        QStringLiteral("report")};
    const int viewIndex = int(views.indexOf(parser.value(view)));
    if (viewIndex < 0) {
        std::fprintf(stderr, "tattle-gui: --view must be one of sources, events, charts, report.\n");
        return 64;
    }
    const std::filesystem::path dbPath = parser.isSet(db)
        ? std::filesystem::path(parser.value(db).toStdString())
        : tattle::core::defaultDatabasePath();
    tattle::app::MainWindow window(dbPath);
    window.showView(tattle::app::MainWindow::View(viewIndex));
    if (parser.isSet(screenshot)) {
        window.setInteractive(false);
        window.show();
        QString error;
        if (!window.saveScreenshot(parser.value(screenshot), &error)) {
            std::fprintf(stderr, "tattle-gui: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }
    window.show();
    for (const auto& f : parser.positionalArguments())
        window.openLog(f);
    return app.exec();
}
