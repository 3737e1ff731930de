// Google Benchmark of the inner loops of an import and of classification:
// line splitting and CP932 decoding, date parsing, phrase classification.
#include "analysis/MessageClassifier.h"
#include "catalogue/DataFiles.h"
#include "catalogue/Marketplace.h"
#include "text/Dates.h"
#include "text/Encoding.h"
#include "text/TableReader.h"

#include <benchmark/benchmark.h>
#include <unicode/ucnv.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

using namespace fbtrack;

// The shipped data files, read once for every benchmark.
const Catalogue data{find_data_dir(), {}};

std::string to_cp932(const std::string& utf8) {
    std::string out(utf8.size() * 2 + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucnv_convert("windows-31j", "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                   static_cast<int32_t>(utf8.size()), &status);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

const std::string row_utf8 =
    "503-2417785-6630118\t\t2026-10-09T21:14:05+09:00\t2026-10-10T22:14:05+09:00\tShipped\tMerchant\tAmazon.co.jp\t"
    "WebsiteOrderChannel\t\tStandard\t【さくら雑貨】波佐見焼 マグカップ 藍 300ml ①番窯\tSZ-MUG-01\tB0SZMUG001\t1\tShipped\t\t\t1\tJPY\t"
    "1980.0\t180.0\t\t\t\t\t\t\t\t東京都\t100-0001\tJP\t\tStandard\t\t\tfalse\t\t\t\t\t\tfalse\tfalse\t\t\t\t\t\tfalse\tSakura\t"
    "\t\t\tKanazawa\tIshikawa\tJP\t920-0000\t\t\t\t\t\t\t\t\tfalse\t\tfalse\t\t\t\tfalse\t\t";

void BM_DecodeCp932Line(benchmark::State& state) {
    const std::string raw = to_cp932(row_utf8);
    TextDecoder decoder("windows-31j");
    std::string out;
    for (auto _ : state) {
        out.clear();
        decoder.decode(raw, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_DecodeCp932Line);

// Reading, decoding and splitting a whole file of such rows, as an import does.
void BM_ReadSplitAndDecodeFile(benchmark::State& state) {
    const auto path = std::filesystem::temp_directory_path() / "fbtrack-bench-rows.txt";
    {
        std::ofstream f(path, std::ios::binary);
        const std::string raw = to_cp932(row_utf8);
        f << "amazon-order-id\tpurchase-date\n";
        for (int i = 0; i < 10000; ++i) f << raw << "\n";
    }
    for (auto _ : state) {
        TextLines lines(path);
        TableReader reader(lines);
        std::vector<std::string> header;
        std::size_t header_line;
        reader.read_header(header, header_line);
        TableRow row;
        std::size_t fields = 0;
        while (reader.next(row)) fields += row.field_count;
        benchmark::DoNotOptimize(fields);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 10000));
    std::filesystem::remove(path);
}
BENCHMARK(BM_ReadSplitAndDecodeFile)->Unit(benchmark::kMillisecond);

void BM_ParseTimestamp(benchmark::State& state) {
    const auto jp = load_marketplace(data, "jp");
    for (auto _ : state) benchmark::DoNotOptimize(to_iso_utc(parse_timestamp("2026-10-09T21:14:05+09:00", jp.zone)));
}
BENCHMARK(BM_ParseTimestamp);

void BM_ParseFeedbackDate(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(parse_feedback_date("2026/10/14", DateOrder::year_month_day));
}
BENCHMARK(BM_ParseFeedbackDate);

void BM_ClassifyBuyerMessage(benchmark::State& state) {
    const auto classifier = MessageClassifier::load(data);
    const std::string body = "注文番号: 503-2417785-6630118\n\n急ぎで必要なので、明日までに届くように発送を早めていただけないでしょうか。\n";
    for (auto _ : state) benchmark::DoNotOptimize(classifier.classify("buyer", "商品についての質問", body));
}
BENCHMARK(BM_ClassifyBuyerMessage);

void BM_ClassifySellerReply(benchmark::State& state) {
    const auto classifier = MessageClassifier::load(data);
    const std::string body = "誠に申し訳ございませんが、ご注文順に発送しており、発送を早めることはいたしかねます。\n";
    for (auto _ : state) benchmark::DoNotOptimize(classifier.classify("seller", "Re: お問い合わせ", body));
}
BENCHMARK(BM_ClassifySellerReply);

}  // namespace

BENCHMARK_MAIN();
