// SPDX-License-Identifier: GPL-3.0-or-later
#include "parsers/parser_registry.h"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv)
{
    CLI::App app {"tattle: trace firewall probes and complain to the sender's ISP"};
    app.require_subcommand(1);
    auto* formats = app.add_subcommand("formats", "List the log formats tattle reads");
    CLI11_PARSE(app, argc, argv);
    if (formats->parsed()) {
        auto registry = tattle::parsers::makeDefaultRegistry();
        for (const auto& p : registry.all())
            std::cout << p->id() << '\t' << p->description() << '\n';
    }
    return 0;
}
