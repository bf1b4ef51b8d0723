// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <optional>

namespace tattle::app {

/// The SMTP password in the system keychain (QtKeychain: Secret Service, KWallet, macOS Keychain, Windows
/// Credential Store). Without QtKeychain, or when no keychain answers, nothing is stored and the password
/// is asked when sending.
/// True when built with QtKeychain.
bool keychainAvailable();
/// Stores the password for account (the SMTP user and server); false when it could not be stored.
bool storePassword(const QString& account, const QString& password, QString* error = nullptr);
/// The stored password, nullopt when none (or no keychain).
std::optional<QString> readPassword(const QString& account);

} // namespace tattle::app
