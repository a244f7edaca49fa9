// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace mp {

/// Base of every error the core throws for bad input or failed I/O. The message says
/// what went wrong; where() says where (file, layer, feature, line), possibly empty.
class Error : public std::runtime_error {
public:
    Error(const std::string& what, std::string where = {})
        : std::runtime_error(where.empty() ? what : what + " (" + where + ")"),
          m_what(what),
          m_where(std::move(where)) {}
    /// The problem without its location.
    const std::string& problem() const noexcept { return m_what; }
    /// The location: a file, layer, feature or argument; may be empty.
    const std::string& where() const noexcept { return m_where; }

private:
    std::string m_what;
    std::string m_where;
};

/// Input the user gave is malformed, missing or inconsistent (CLI exit code 3).
class InputError : public Error {
public:
    using Error::Error;
};

/// An argument or option is wrong (CLI exit code 2).
class UsageError : public Error {
public:
    using Error::Error;
};

/// A plugin could not be loaded or failed (CLI exit code 4).
class PluginError : public Error {
public:
    using Error::Error;
};

/// Raised when a long job notices that it was cancelled.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

/// An expected outcome that may have no value (no route, over MLC, infeasible):
/// either a value or a human-readable reason. Not for bugs or I/O errors.
template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}  // NOLINT: implicit by design
    static Result failure(std::string reason) { return Result(Reason{std::move(reason)}); }

    bool ok() const noexcept { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const noexcept { return ok(); }
    const T& value() const& { return std::get<T>(m_state); }
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const T* operator->() const { return &value(); }
    const T& operator*() const { return value(); }
    /// Why there is no value; empty when ok().
    const std::string& reason() const {
        static const std::string none;
        return ok() ? none : std::get<Reason>(m_state).text;
    }

private:
    struct Reason {
        std::string text;
    };
    explicit Result(Reason r) : m_state(std::move(r)) {}
    std::variant<T, Reason> m_state;
};

}  // namespace mp
