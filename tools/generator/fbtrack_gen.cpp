// fbtrack-gen: writes realistic synthetic Seller Central exports for N order rows, reproducible
// from a seed, for benchmarks and crash tests. Usage: fbtrack-gen --orders N [--seed S] --out DIR
//
// Output, in the layouts and encodings real sellers get (see ../shared/domain.md §5):
//   all_orders.txt          All Orders report, 74 columns, CP932, N rows (some orders hold several items)
//   unshipped.txt           Unshipped Orders snapshot (CP932) with promise dates for the last days' orders
//   shipping_confirmation.txt  JP upload template (three header rows, CP932) for shipped merchant orders
//   feedback.txt            feedback report, 1-3 stars for about 2 % of orders (CP932)
//   mail.mbox               expedite requests and replies for about 3 % of orders, mixed encodings
#include <Poco/Base64Encoder.h>
#include <Poco/Net/QuotedPrintableEncoder.h>
#include <unicode/ucnv.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

const char* const all_orders_header =
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
    "sales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\tnumber-of-items\titem-status\t"
    "tax-collection-model\ttax-collection-responsible-party\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\t"
    "shipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\t"
    "ship-state\tship-postal-code\tship-country\tpromotion-ids\tpayment-method-details\titem-extensions-data\t"
    "points-granted\tis-business-order\tpurchase-order-number\tprice-designation\tbuyer-company-name\tcustomized-url\t"
    "customized-page\tis-replacement-order\tis-exchange-order\toriginal-order-id\tlicensee-name\tlicense-number\t"
    "license-state\tlicense-expiration-date\tis-transparency\tdefault-ship-from-address-name\t"
    "default-ship-from-address-field-1\tdefault-ship-from-address-field-2\tdefault-ship-from-address-field-3\t"
    "default-ship-from-city\tdefault-ship-from-state\tdefault-ship-from-country\tdefault-ship-from-postal-code\t"
    "actual-ship-from-address-name\tactual-ship-from-address-field-1\tactual-ship-from-address-field-2\t"
    "actual-ship-from-address-field-3\tactual-ship-from-city\tactual-ship-from-state\tactual-ship-from-country\t"
    "actual-ship-from-postal-code\tis-ispu-order\tstore-chain-store-id\tis-buyer-requested-cancellation\t"
    "buyer-requested-cancel-reason\tioss-number\tserial-numbers\tis-shipping-settings-automation-enabled\tssa-carrier\t"
    "ssa-ship-method ";

struct Product {
    const char* sku;
    const char* asin;
    const char* name;  // UTF-8; written as CP932
    int price;
};

const std::array<Product, 8> products = {{
    {"SZ-MUG-01", "B0SZMUG001", "【さくら雑貨】波佐見焼 マグカップ 藍 300ml ①番窯", 1980},
    {"SZ-TNG-02", "B0SZTNG002", "【さくら雑貨】手ぬぐい 桜柄 綿100％ ～春の便り～", 1200},
    {"SZ-HSI-03", "B0SZHSI003", "【さくら雑貨】竹箸 5膳セット ㈱竹工房監修", 1500},
    {"SZ-FRS-04", "B0SZFRS004", "【さくら雑貨】風呂敷 ﾁｰﾌ 70cm 綿", 2200},
    {"SZ-CHA-05", "B0SZCHA005", "【さくら雑貨】有田焼 湯呑み 2客 ペア", 3300},
    {"SZ-BAG-06", "B0SZBAG006", "【さくら雑貨】帆布 トートバッグ Ｍサイズ 生成り", 2800},
    {"SZ-SOX-07", "B0SZSOX007", "【さくら雑貨】足袋ソックス ３足組 ﾒﾝｽﾞ", 990},
    {"SZ-FAN-08", "B0SZFAN008", "【さくら雑貨】京扇子 竹骨 桐箱入り ～夏～", 4500},
}};

const std::array<const char*, 10> prefectures = {"東京都", "大阪府", "北海道", "福岡県", "愛知県",
                                                 "神奈川県", "京都府", "宮城県", "広島県", "沖縄県"};

const std::array<const char*, 8> comments = {
    "発送が遅すぎる。", "届くのが遅かった", "箸の長さが思っていたより短かった。", "対応が悪い。",
    "サイズが小さいうえに、届くのも遅かった。", "まあまあでした", "梱包が雑で傷がありました", "返信がなかった"};

std::string convert(const char* to, const std::string& utf8) {
    std::string out(utf8.size() * 4 + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucnv_convert(to, "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                   static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("cannot encode as ") + to);
    out.resize(static_cast<std::size_t>(n));
    return out;
}
std::string cp932(const std::string& utf8) { return convert("windows-31j", utf8); }

std::string base64(const std::string& bytes, int line_length) {
    std::ostringstream s;
    Poco::Base64Encoder e(s);
    e.rdbuf()->setLineLength(line_length);
    e << bytes;
    e.close();
    return s.str();
}

std::string quoted_printable(const std::string& bytes) {
    std::ostringstream s;
    Poco::Net::QuotedPrintableEncoder e(s);
    e << bytes;
    e.close();
    return s.str();
}

// Times as seconds since the epoch, written with the offset the report uses.
std::string iso(std::int64_t t, int offset_hours) {
    const std::time_t local = static_cast<std::time_t>(t + offset_hours * 3600);
    std::tm tm{};
    gmtime_r(&local, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, offset_hours);
    return buf;
}
std::string jst_date(std::int64_t t, const char* format) {
    const std::time_t local = static_cast<std::time_t>(t + 9 * 3600);
    std::tm tm{};
    gmtime_r(&local, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}
std::string rfc2822(std::int64_t t) {
    const std::time_t local = static_cast<std::time_t>(t + 9 * 3600);
    std::tm tm{};
    gmtime_r(&local, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0900", &tm);
    return buf;
}

struct Order {
    std::string id;
    std::int64_t purchased;
    bool merchant, shipped;
    int items;
};

// Unique, random-looking order IDs: an affine bijection of the index modulo 10^14.
std::string order_id(std::uint64_t index, std::uint64_t seed) {
    const std::uint64_t space = 100000000000000ULL;
    const std::uint64_t mixed = (index * 48271ULL * 2654435761ULL + seed * 7919ULL) % space;
    static const std::array<int, 3> prefixes = {249, 250, 503};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%03d-%07llu-%07llu", prefixes[index % 3], static_cast<unsigned long long>(mixed / 10000000ULL),
                  static_cast<unsigned long long>(mixed % 10000000ULL));
    return buf;
}

std::string alias_of(std::uint64_t n) {
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string a;
    for (int i = 0; i < 15; ++i) {
        a.push_back(digits[n % 36]);
        n = n / 36 + static_cast<std::uint64_t>(i) * 7919;
    }
    return a;
}

// Twelve digits in groups of four, as Japanese carriers print them.
std::string tracking(std::uint64_t n) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04llu-%04llu-%04llu", static_cast<unsigned long long>(n % 10000),
                  static_cast<unsigned long long>(n / 10000 % 10000), static_cast<unsigned long long>(n / 100000000 % 10000));
    return buf;
}

int usage() {
    std::cerr << "usage: fbtrack-gen --orders N [--seed S] --out DIR\n";
    return 64;
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t rows = 0, seed = 1;
    std::filesystem::path out;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--orders" && i + 1 < argc) rows = std::stoull(argv[++i]);
        else if (a == "--seed" && i + 1 < argc) seed = std::stoull(argv[++i]);
        else if (a == "--out" && i + 1 < argc) out = argv[++i];
        else return usage();
    }
    if (rows == 0 || out.empty()) return usage();
    std::filesystem::create_directories(out);
    std::mt19937_64 random(seed);
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; };

    std::vector<std::string> product_names;
    for (const auto& p : products) product_names.push_back(cp932(p.name));
    std::vector<std::string> states;
    for (const auto* s : prefectures) states.push_back(cp932(s));

    // Orders spread over the two years up to 2026-10-31, about one in six with several items.
    const std::int64_t end = 1793458800;  // 2026-10-31T15:00:00Z
    const std::int64_t span = 2 * 365 * 86400;
    std::vector<Order> orders;
    std::uint64_t total_rows = 0;
    for (std::uint64_t i = 0; total_rows < rows; ++i) {
        Order o;
        o.id = order_id(i, seed);
        o.merchant = chance(0.8);
        o.items = chance(0.15) ? 2 + static_cast<int>(random() % 2) : 1;
        o.items = static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(o.items), rows - total_rows));
        total_rows += static_cast<std::uint64_t>(o.items);
        orders.push_back(o);
    }
    // Spread the orders evenly up to the last day, now that their number is known.
    for (std::size_t i = 0; i < orders.size(); ++i) {
        auto& o = orders[i];
        o.purchased = end - span + static_cast<std::int64_t>((static_cast<double>(i) / static_cast<double>(orders.size())) * span) +
                      static_cast<std::int64_t>(random() % 600);
        o.shipped = o.purchased < end - 3 * 86400 || chance(0.3);
    }

    {  // All Orders: newest first, like the download.
        std::ofstream f(out / "all_orders.txt", std::ios::binary);
        f << all_orders_header << "\n";
        std::string row;
        for (auto it = orders.rbegin(); it != orders.rend(); ++it) {
            const Order& o = *it;
            for (int k = 0; k < o.items; ++k) {
                const auto& p = products[(std::hash<std::string>{}(o.id) + static_cast<std::size_t>(k)) % products.size()];
                const std::size_t pi = static_cast<std::size_t>(&p - products.data());
                row.clear();
                row += o.id + "\t" + (o.merchant ? "" : o.id) + "\t" + iso(o.purchased, 9) + "\t" +
                       iso(o.purchased + (o.shipped ? 86400 + 3600 : 300), 9) + "\t" + (o.shipped ? "Shipped" : "Pending") +
                       "\t" + (o.merchant ? "Merchant" : "Amazon") + "\tAmazon.co.jp\t" +
                       (o.merchant ? "WebsiteOrderChannel" : "") + "\t\t" + (chance(0.1) ? "Expedited" : "Standard") + "\t";
                row += product_names[pi];
                row += std::string("\t") + p.sku + "\t" + p.asin + "\t" + (o.merchant ? "1" : "") + "\t" +
                       (o.shipped ? "Shipped" : "Unshipped") + "\t\t\t1\tJPY\t" + std::to_string(p.price) + ".0\t" +
                       std::to_string(p.price / 11) + ".0\t\t\t\t\t\t\t\t";
                row += states[(pi + o.id.size() * 7 + static_cast<std::size_t>(o.purchased % 10)) % states.size()];
                row += "\t100-0001\tJP\t\tStandard\t\t\tfalse\t\t\t\t\t\tfalse\tfalse\t\t\t\t\t\tfalse";
                // 25 ship-from and ISPU columns, then the Buy Shipping columns.
                row += o.merchant ? "\tSakura\t\t\t\tKanazawa\tIshikawa\tJP\t920-0000" : "\t\t\t\t\t\t\t\t";
                row += "\t\t\t\t\t\t\t\t\tfalse\t\tfalse\t\t\t\tfalse\t\t";
                f << row << "\n";
            }
        }
    }
    {  // Unshipped snapshot: merchant orders of the last three days not yet shipped.
        std::ofstream f(out / "unshipped.txt", std::ios::binary);
        f << "order-id\torder-item-id\tpurchase-date\tpayments-date\treporting-date\tpromise-date\tdays-past-promise\t"
             "buyer-email\tbuyer-name\tbuyer-phone-number\tsku\tproduct-name\tquantity-purchased\tship-service-level\t"
             "recipient-name\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\tis-prime\n";
        std::uint64_t item = 10000000000000ULL + seed;
        for (const auto& o : orders) {
            if (!o.merchant || o.shipped) continue;
            const auto& p = products[std::hash<std::string>{}(o.id) % products.size()];
            const std::size_t pi = static_cast<std::size_t>(&p - products.data());
            f << o.id << "\t" << item++ << "\t" << iso(o.purchased, 0) << "\t" << iso(o.purchased, 0) << "\t" << iso(end, 0)
              << "\t" << iso(o.purchased + 2 * 86400, 0) << "\t-1\tbuyer@example.invalid\t" << cp932("購入者") << "\t03-0000-0000\t"
              << p.sku << "\t" << product_names[pi] << "\t1\tStandard\t" << cp932("購入者") << "\t1-1\tCity\t" << states[0]
              << "\t100-0001\tJP\tfalse\n";
        }
    }
    {  // Shipping confirmation in the JP template.
        std::ofstream f(out / "shipping_confirmation.txt", std::ios::binary);
        f << cp932("TemplateType=OrderFulfillment\tVersion=2011.1102\tこの行はAmazonが使用しますので変更や削除しないでください。\n"
                   "注文番号\t注文商品番号\t出荷数\t出荷日\t配送業者コード\t配送業者名\tお問い合わせ伝票番号\t配送方法\t代金引換\n")
          << "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method\tcod-collection-method\n";
        const std::array<std::string, 3> carriers = {cp932("ヤマト運輸\t"), cp932("日本郵便\t"), cp932("佐川急便\t")};
        const std::string method = cp932("宅配便");
        for (const auto& o : orders) {
            if (!o.merchant || !o.shipped) continue;
            f << o.id << "\t\t" << o.items << "\t" << jst_date(o.purchased + 86400 * (1 + static_cast<std::int64_t>(random() % 2)), "%Y-%m-%d")
              << "\tOther\t" << carriers[random() % 3] << tracking(random()) << "\t" << method << "\t\n";
        }
    }
    std::vector<const Order*> rated, asked;
    {  // Feedback: 1-3 stars for about 2 % of the orders.
        std::ofstream f(out / "feedback.txt", std::ios::binary);
        f << cp932("日付\t評価\tコメント\t出品者の回答\t注文番号\t評価者のEメール\n");
        std::vector<std::string> encoded;
        for (const auto* c : comments) encoded.push_back(cp932(c));
        for (const auto& o : orders) {
            if (!o.shipped || !chance(0.02)) continue;
            rated.push_back(&o);
            f << jst_date(o.purchased + 86400 * (4 + static_cast<std::int64_t>(random() % 10)), "%Y/%-m/%-d") << "\t"
              << (1 + random() % 3) << "\t" << encoded[random() % encoded.size()] << "\t\t" << o.id << "\t"
              << alias_of(random()) << "@marketplace.amazon.co.jp\n";
        }
    }
    {  // Mail: a request for about 3 % of the orders, most answered, in three encodings.
        std::ofstream f(out / "mail.mbox", std::ios::binary);
        std::uint64_t n = 0;
        for (const auto& o : orders) {
            if (!o.merchant || !chance(0.03)) continue;
            const std::string alias = alias_of(std::hash<std::string>{}(o.id));
            const std::int64_t asked_at = o.purchased + 3600 + static_cast<std::int64_t>(random() % 7200);
            const std::string subject_text = "発送を早めることについてのお問い合わせ（注文番号: " + o.id + "）";
            const std::string body_text = "注文番号: " + o.id + "\n\n急ぎで必要なので、発送を早めていただけないでしょうか。\n";
            const int style = static_cast<int>(n++ % 3);
            f << "From " << alias << "@marketplace.amazon.co.jp " << jst_date(asked_at - 9 * 3600, "%a %b %e %H:%M:%S %Y") << "\n"
              << "From: " << alias << "@marketplace.amazon.co.jp\nTo: shop@sakura-zakka.example\nDate: " << rfc2822(asked_at)
              << "\nMessage-ID: <req-" << o.id << "@gen.invalid>\nMIME-Version: 1.0\n";
            if (style == 0) {
                f << "Subject: =?ISO-2022-JP?B?" << base64(convert("ISO-2022-JP", subject_text), 0) << "?=\n"
                  << "Content-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n"
                  << convert("ISO-2022-JP", body_text) << "\n";
            } else if (style == 1) {
                f << "Subject: =?UTF-8?B?" << base64(subject_text, 0) << "?=\n"
                  << "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" << base64(body_text, 76) << "\n\n";
            } else {
                f << "Subject: =?Shift_JIS?B?" << base64(cp932(subject_text), 0) << "?=\n"
                  << "Content-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: quoted-printable\n\n"
                  << quoted_printable(cp932(body_text)) << "\n\n";
            }
            asked.push_back(&o);
            const double r = std::uniform_real_distribution<double>(0, 1)(random);
            if (r > 0.9) continue;  // never answered
            const std::int64_t replied = asked_at + 1800 + static_cast<std::int64_t>(random() % (40 * 3600));
            const std::string reply = r < 0.7 ? "誠に申し訳ございませんが、発送を早めることはいたしかねます。\n"
                                              : "本日発送いたします。\n";
            f << "From shop@sakura-zakka.example " << jst_date(replied - 9 * 3600, "%a %b %e %H:%M:%S %Y") << "\n"
              << "From: shop@sakura-zakka.example\nTo: " << alias << "@marketplace.amazon.co.jp\nDate: " << rfc2822(replied)
              << "\nMessage-ID: <reply-" << o.id << "@gen.invalid>\nSubject: =?UTF-8?B?" << base64("Re: " + subject_text, 0)
              << "?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n"
              << base64(reply, 76) << "\n\n";
        }
    }
    std::cout << out.string() << ": " << rows << " order rows (" << orders.size() << " orders), " << rated.size()
              << " ratings, " << asked.size() << " expedite requests\n";
    return 0;
}
