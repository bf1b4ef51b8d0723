// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/password_store.h"

#include <QEventLoop>
#include <QTimer>

#ifdef TATTLE_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace tattle::app {

namespace {

[[maybe_unused]] const QString kService = QStringLiteral("tattle-smtp");

#ifdef TATTLE_HAVE_KEYCHAIN
/// Runs a keychain job to its end; a keychain that does not answer in 10 s counts as absent.
bool runJob(QKeychain::Job& job, QString* error)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (job.error() != QKeychain::NoError) {
        if (error) *error = job.errorString();
        return false;
    }
    return true;
}
#endif

} // namespace

bool keychainAvailable()
{
#ifdef TATTLE_HAVE_KEYCHAIN
    return true; // whether a keychain service answers shows when storing
#else
    return false;
#endif
}

bool storePassword(const QString& account, const QString& password, QString* error)
{
#ifdef TATTLE_HAVE_KEYCHAIN
    QKeychain::WritePasswordJob job(kService);
    job.setAutoDelete(false);
    job.setKey(account);
    job.setTextData(password);
    return runJob(job, error);
#else
    Q_UNUSED(account);
    Q_UNUSED(password);
    if (error) *error = QObject::tr("This build of tattle has no keychain support.");
    return false;
#endif
}

std::optional<QString> readPassword(const QString& account)
{
#ifdef TATTLE_HAVE_KEYCHAIN
    QKeychain::ReadPasswordJob job(kService);
    job.setAutoDelete(false);
    job.setKey(account);
    if (!runJob(job, nullptr)) return std::nullopt;
    return job.textData();
#else
    Q_UNUSED(account);
    return std::nullopt;
#endif
}

} // namespace tattle::app
