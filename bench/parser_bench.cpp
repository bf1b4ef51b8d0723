// SPDX-License-Identifier: GPL-3.0-or-later
// tattle_bench: throughput of every built-in parser over a generated log held in memory.
//
//   build-release/bench/tattle_bench                               # all benchmarks
//   build-release/bench/tattle_bench --benchmark_filter=netfilter  # Google Benchmark flags work as usual
//   TATTLE_BENCH_DATA_DIR=bench/out tattle_bench                   # read <dir>/<parser-id>.log instead
//
// The input is <parser-id>.log, written at build time by bench/gen_logs.py (--seed 1). Each iteration opens
// a fresh LineParser and parses every line, as `tattle import` does for one file; loading and splitting the
// file is not measured. The counters say how the parser classified the lines: a generated log should give
// no malformed lines.

#include "core/event.h"
#include "core/ip_address.h"
#include "core/parser.h"
#include "core/time.h"
#include "parsers/parser_registry.h"
#include "parsers/regex_format.h"

#include <algorithm>
#include <array>
#include <benchmark/benchmark.h>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace tattle;

/// A log file in memory, split into lines without their terminators.
struct LogLines {
    std::string text;
    std::vector<std::string_view> lines;
    std::int64_t bytes = 0; ///< the file's size: line terminators count, as they are read too
    std::string error;
};

std::string dataDir()
{
    if (const char* env = std::getenv("TATTLE_BENCH_DATA_DIR"); env && *env) return env;
    return TATTLE_BENCH_DATA_DIR;
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    return lines;
}

/// The generated log for a parser id, read once and kept for every benchmark that uses it.
const LogLines& logFor(std::string_view id)
{
    static std::map<std::string, LogLines, std::less<>> cache;
    if (auto it = cache.find(id); it != cache.end()) return it->second;
    LogLines& log = cache[std::string(id)];
    const std::string path = dataDir() + "/" + std::string(id) + ".log";
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        log.error = "no input: cannot read " + path
            + " (gen_logs.py writes netfilter, zonealarm and windows-firewall logs;"
              " build tattle_bench_data or set TATTLE_BENCH_DATA_DIR)";
        return log;
    }
    log.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    log.lines = splitLines(log.text);
    log.bytes = std::int64_t(log.text.size());
    if (log.lines.empty()) log.error = path + " is empty";
    return log;
}

core::ParseContext benchContext()
{
    core::ParseContext ctx; // UTC
    // The generator starts on 2024-03-01; a reference at the end of 2024 puts every line in 2024.
    ctx.referenceTime = core::daysFromCivil(2024, 12, 31) * 86400;
    ctx.fileName = "bench";
    return ctx;
}

void setThroughput(benchmark::State& state, const LogLines& log)
{
    const auto lines = double(state.iterations()) * double(log.lines.size());
    state.SetBytesProcessed(state.iterations() * log.bytes);
    state.counters["lines/s"] = benchmark::Counter(lines, benchmark::Counter::kIsRate);
}

/// Every line of the parser's generated log through a fresh LineParser per iteration.
void parseLog(benchmark::State& state, const core::Parser& parser)
{
    const LogLines& log = logFor(parser.id());
    if (!log.error.empty()) {
        state.SkipWithError(log.error.c_str());
        return;
    }
    const core::ParseContext ctx = benchContext();
    if (!parser.open(ctx)) {
        state.SkipWithError("open() returned null: this parser is not implemented yet");
        return;
    }
    core::Event event;
    std::string reason;
    std::array<std::int64_t, 4> statusCounts {};
    for (auto _ : state) {
        const auto reader = parser.open(ctx);
        for (std::string_view line : log.lines)
            ++statusCounts[std::size_t(reader->parse(line, event, reason))];
        benchmark::DoNotOptimize(event.time);
        benchmark::ClobberMemory();
    }
    setThroughput(state, log);
    const auto total = double(state.iterations()) * double(log.lines.size());
    auto share = [&](core::ParseStatus s) { return 100.0 * double(statusCounts[std::size_t(s)]) / total; };
    state.counters["event%"] = share(core::ParseStatus::Event);
    state.counters["ignored%"] = share(core::ParseStatus::Ignored);
    state.counters["notmine%"] = share(core::ParseStatus::NotMine);
    state.counters["malformed%"] = share(core::ParseStatus::Malformed);
}

/// Lines repeated, in order, to 100,000 lines.
LogLines repeatedTo100k(const std::vector<std::string>& lines)
{
    LogLines log;
    if (lines.empty()) return log;
    for (std::size_t i = 0; i < 100000; ++i) {
        log.text += lines[i % lines.size()];
        log.text.push_back('\n');
    }
    log.lines = splitLines(log.text);
    log.bytes = std::int64_t(log.text.size());
    return log;
}

/// A hand-written parser that gen_logs.py has no generator for: the valid lines of its own test fixtures
/// (tests/data/logs/<id>/*.log except broken*.log), repeated to 100,000 lines. Fixtures mix record kinds
/// (denials, allowed sessions, the device's other messages), so the figure is for a varied log.
void parseFixtures(benchmark::State& state, const core::Parser& parser)
{
    static std::map<std::string, LogLines, std::less<>> cache;
    const std::string id(parser.id());
    auto it = cache.find(id);
    if (it == cache.end()) {
        std::vector<std::string> lines;
        const std::filesystem::path dir = std::filesystem::path(TATTLE_FIXTURE_DIR) / id;
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(dir)) {
            for (const auto& entry : std::filesystem::directory_iterator(dir)) {
                const std::string name = entry.path().filename().string();
                if (entry.path().extension() == ".log" && !name.starts_with("broken"))
                    files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            std::string line;
            while (std::getline(in, line)) {
                if (!line.empty() && line.front() != '#') lines.push_back(line);
            }
        }
        it = cache.emplace(id, repeatedTo100k(lines)).first;
    }
    const LogLines& log = it->second;
    if (log.lines.empty()) {
        state.SkipWithError(("no fixtures in tests/data/logs/" + id).c_str());
        return;
    }
    core::Event event;
    std::string reason;
    std::array<std::int64_t, 4> statusCounts {};
    for (auto _ : state) {
        const auto reader = parser.open(benchContext());
        for (std::string_view line : log.lines)
            ++statusCounts[std::size_t(reader->parse(line, event, reason))];
        benchmark::DoNotOptimize(event.time);
    }
    setThroughput(state, log);
    const auto total = double(state.iterations()) * double(log.lines.size());
    state.counters["event%"] = 100.0 * double(statusCounts[std::size_t(core::ParseStatus::Event)]) / total;
}

/// A data-defined format (resources/formats/<id>.json) over its own sample lines, repeated to 100000
/// lines: the figure for formats read by Boost.Regex and the key=value tokeniser rather than C++.
void parseSamples(benchmark::State& state, const parsers::DataFormat& format)
{
    static std::map<std::string, LogLines, std::less<>> cache;
    LogLines& log = cache[format.id()];
    if (log.lines.empty()) {
        const std::vector<std::string> samples = format.sampleLines();
        for (std::size_t i = 0; i < 100000; ++i) {
            log.text += samples[i % samples.size()];
            log.text.push_back('\n');
        }
        log.lines = splitLines(log.text);
        log.bytes = std::int64_t(log.text.size());
    }
    core::Event event;
    std::string reason;
    std::array<std::int64_t, 4> statusCounts {};
    for (auto _ : state) {
        const auto reader = format.open(benchContext());
        for (std::string_view line : log.lines)
            ++statusCounts[std::size_t(reader->parse(line, event, reason))];
        benchmark::DoNotOptimize(event.time);
    }
    setThroughput(state, log);
    const auto total = double(state.iterations()) * double(log.lines.size());
    state.counters["event%"] = 100.0 * double(statusCounts[std::size_t(core::ParseStatus::Event)]) / total;
}

/// Format detection on the first kHeadLines non-empty lines of every generated log, as `tattle import`
/// does when no --format is given; reports whether the right parser won.
void detectHead(benchmark::State& state, const parsers::ParserRegistry& registry, std::string_view id)
{
    const LogLines& log = logFor(id);
    if (!log.error.empty()) {
        state.SkipWithError(log.error.c_str());
        return;
    }
    std::vector<std::string_view> head;
    for (std::string_view line : log.lines) {
        if (head.size() == parsers::ParserRegistry::kHeadLines) break;
        if (!line.empty()) head.push_back(line);
    }
    bool right = false;
    for (auto _ : state) {
        const parsers::Detection d = registry.detect(head);
        right = d.parser && d.parser->id() == id;
        benchmark::DoNotOptimize(right);
    }
    state.counters["detected"] = right ? 1 : 0;
}

/// Baselines for the netfilter figures: splitting the file into lines, and the least a per-source count
/// must do per line (find SRC=, parse the address), like the awk one-liner in bench/run.sh.
void splitBaseline(benchmark::State& state)
{
    const LogLines& log = logFor("netfilter");
    if (!log.error.empty()) {
        state.SkipWithError(log.error.c_str());
        return;
    }
    for (auto _ : state) {
        std::size_t n = 0;
        const char* p = log.text.data();
        const char* end = p + log.text.size();
        while (p < end) {
            const void* nl = std::memchr(p, '\n', std::size_t(end - p));
            p = nl ? static_cast<const char*>(nl) + 1 : end;
            ++n;
        }
        benchmark::DoNotOptimize(n);
    }
    setThroughput(state, log);
}

void sourceScanBaseline(benchmark::State& state)
{
    const LogLines& log = logFor("netfilter");
    if (!log.error.empty()) {
        state.SkipWithError(log.error.c_str());
        return;
    }
    for (auto _ : state) {
        std::size_t found = 0;
        for (std::string_view line : log.lines) {
            const std::size_t at = line.find(" SRC=");
            if (at == std::string_view::npos) continue;
            std::string_view value = line.substr(at + 5);
            value = value.substr(0, value.find(' '));
            if (const auto addr = core::IpAddress::parse(value)) found += addr->size();
        }
        benchmark::DoNotOptimize(found);
    }
    setThroughput(state, log);
}

} // namespace

int main(int argc, char** argv)
{
    static const parsers::ParserRegistry registry = parsers::makeDefaultRegistry();
    for (const auto& p : registry.all()) {
        const core::Parser* parser = p.get();
        const std::string id(parser->id());
        if (const parsers::DataFormat* format = parsers::dataFormatOf(*parser)) {
            benchmark::RegisterBenchmark(("parse-samples/" + id).c_str(), [format](benchmark::State& state) {
                parseSamples(state, *format);
            })->Unit(benchmark::kMillisecond);
            continue;
        }
        if (id == "mixed") continue; // no generated log of its own
        if (id != "netfilter" && id != "zonealarm" && id != "windows-firewall") {
            // gen_logs.py writes these three; the other parsers are measured on their fixtures.
            benchmark::RegisterBenchmark(("parse-fixtures/" + id).c_str(), [parser](benchmark::State& state) {
                parseFixtures(state, *parser);
            })->Unit(benchmark::kMillisecond);
            continue;
        }
        benchmark::RegisterBenchmark(("parse/" + id).c_str(), [parser](benchmark::State& state) {
            parseLog(state, *parser);
        })->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("detect/" + id).c_str(), [id](benchmark::State& state) {
            detectHead(state, registry, id);
        })->Unit(benchmark::kMicrosecond);
    }
    benchmark::RegisterBenchmark("baseline/split-lines/netfilter", splitBaseline)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("baseline/src-scan/netfilter", sourceScanBaseline)
        ->Unit(benchmark::kMillisecond);

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
