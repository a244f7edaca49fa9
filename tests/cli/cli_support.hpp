// SPDX-License-Identifier: MIT
// Running the enablement CLI as a user runs it (MP_CLI_PATH): exit code, stdout, stderr.
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "test_support.hpp"

namespace mp::test {

struct CliRun {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs the CLI with args (shell words) and no standard input. env: variable assignments
/// put before the command, e.g. "ENABLEMENT_PLUGIN_PATH=/x".
inline CliRun run_enablement(const std::string& args, const std::string& env = "") {
    TempDir dir;
    const std::string err_path = dir.file("stderr");
    const std::string cmd =
        (env.empty() ? "" : env + " ") + std::string(MP_CLI_PATH) + " " + args + " 2>" + err_path + " </dev/null";
    CliRun r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[65536];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = read_text(err_path);
    return r;
}

}  // namespace mp::test
