// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace tattle {

/// What kind of failure an Error reports; callers switch on it.
enum class ErrorKind {
    Io, ///< a file or stream could not be read or written
    Format, ///< input is not in the expected format
    NotFound, ///< the thing asked for does not exist
    Database, ///< SQLite reported an error
    Config, ///< a setting or resource is missing or invalid
    Usage, ///< the caller asked for something impossible
    Timeout, ///< a peer did not answer in time
    RateLimited, ///< a peer asked us to slow down
    BadResponse, ///< a peer answered with something we cannot use
};

/// An expected failure: a kind to switch on and a full sentence for the user.
struct Error {
    ErrorKind kind = ErrorKind::Io;
    std::string message;
};

/// The result of an operation that can fail in an expected way.
template<typename T> using Result = std::expected<T, Error>;

/// Shorthand for returning an error from a function that returns Result<T>.
inline std::unexpected<Error> fail(ErrorKind kind, std::string message)
{
    return std::unexpected<Error>(Error {kind, std::move(message)});
}

} // namespace tattle
