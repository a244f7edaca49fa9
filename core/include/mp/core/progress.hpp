// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <string_view>

namespace mp {

/// Feedback channel of a long job (after QgsFeedback): the job reports its progress
/// and polls cancelled(); the caller (CLI progress bar, GUI worker) implements report().
class Progress {
public:
    virtual ~Progress() = default;
    /// fraction in [0, 1]; stage is a short human-readable label.
    virtual void report(double fraction, std::string_view stage) { (void)fraction, (void)stage; }
    /// True once cancel() was called; jobs poll it and stop early.
    bool cancelled() const noexcept { return m_cancelled.load(std::memory_order_relaxed); }
    void cancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled{false};
};

/// A Progress that reports nowhere: for callers that do not care.
inline Progress& null_progress() {
    static thread_local Progress p;
    return p;
}

}  // namespace mp
