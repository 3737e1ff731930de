#include "importers/KeyOrderedSource.h"

#include "core/Errors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace fbtrack {

namespace {

// A row as bytes: [u32 size of all][u64 line][u8 kind][fields…], where the first field is always
// the order ID, so that the sort key is read in place.
constexpr std::size_t header_bytes = 4 + 8 + 1;
constexpr std::uint32_t no_value = 0xFFFFFFFF;

// Each record's fields, listed once for writing (const) and reading alike. A field added to
// OrderLine or Shipment must be added here, or it is lost on the way to the store: the sizes
// below stop the build until it is.
static_assert(sizeof(OrderLine) == sizeof(std::string) + 18 * sizeof(std::optional<std::string>) +
                                       8 /* two optional<bool>, padded */ + sizeof(std::optional<long long>),
              "OrderLine changed: update order_line_fields");
static_assert(sizeof(Shipment) == 2 * sizeof(std::string) + 8 * sizeof(std::optional<std::string>) +
                                      sizeof(std::optional<long long>),
              "Shipment changed: update shipment_fields");
template <class Line, class F>
void order_line_fields(Line& o, F&& f) {
    f(o.order_id); f(o.purchased_at); f(o.last_updated_at); f(o.status); f(o.fulfillment); f(o.sales_channel);
    f(o.service_level); f(o.ship_state); f(o.ship_country); f(o.ssa_carrier); f(o.buy_shipping); f(o.is_prime);
    f(o.ship_by); f(o.deliver_by); f(o.order_item_id); f(o.sku); f(o.asin); f(o.product_name); f(o.item_status);
    f(o.currency); f(o.item_price); f(o.quantity);
}
template <class Ship, class F>
void shipment_fields(Ship& s, F&& f) {
    f(s.order_id); f(s.order_item_id); f(s.quantity); f(s.ship_date); f(s.shipped_at); f(s.carrier_code);
    f(s.carrier_name); f(s.tracking_number); f(s.ship_method); f(s.fulfillment); f(s.promised_delivery);
}

void put(std::string& out, const void* data, std::size_t n) { out.append(static_cast<const char*>(data), n); }

struct Writer {
    std::string& out;
    void operator()(const std::string& s) const {
        const auto n = static_cast<std::uint32_t>(s.size());
        put(out, &n, 4);
        out += s;
    }
    void operator()(const std::optional<std::string>& s) const {
        if (s) return (*this)(*s);
        put(out, &no_value, 4);
    }
    void operator()(const std::optional<bool>& b) const { out.push_back(static_cast<char>(b ? (*b ? 1 : 0) : 2)); }
    void operator()(const std::optional<long long>& n) const {
        out.push_back(static_cast<char>(n ? 1 : 0));
        if (n) put(out, &*n, 8);
    }
};

struct Reader {
    const char* p;
    std::uint32_t u32() {
        std::uint32_t n;
        std::memcpy(&n, p, 4);
        p += 4;
        return n;
    }
    void operator()(std::string& s) {
        const auto n = u32();
        s.assign(p, n);
        p += n;
    }
    void operator()(std::optional<std::string>& s) {
        const auto n = u32();
        if (n == no_value) return s.reset();
        s.emplace(p, n);
        p += n;
    }
    void operator()(std::optional<bool>& b) {
        const char c = *p++;
        if (c == 2) b.reset();
        else b = c == 1;
    }
    void operator()(std::optional<long long>& n) {
        if (*p++ == 0) return n.reset();
        long long v;
        std::memcpy(&v, p, 8);
        p += 8;
        n = v;
    }
};

std::string_view key_of(std::string_view row) {
    std::uint32_t n;
    std::memcpy(&n, row.data() + header_bytes, 4);
    return row.substr(header_bytes + 4, n);
}
std::uint64_t line_of(std::string_view row) {
    std::uint64_t line;
    std::memcpy(&line, row.data() + 4, 8);
    return line;
}
bool comes_before(std::string_view a, std::string_view b) {
    const int c = key_of(a).compare(key_of(b));  // bytewise, as SQLite's BINARY collation
    return c < 0 || (c == 0 && line_of(a) < line_of(b));
}

void serialize(const ImportedRow& row, std::string& out) {
    const std::size_t start = out.size();
    out.append(4, '\0');
    const std::uint64_t line = row.line;
    put(out, &line, 8);
    Writer w{out};
    if (const auto* o = std::get_if<OrderLine>(&*row.record)) {
        out.push_back(0);
        order_line_fields(*o, w);
    } else {
        out.push_back(1);
        shipment_fields(std::get<Shipment>(*row.record), w);
    }
    const auto size = static_cast<std::uint32_t>(out.size() - start);
    std::memcpy(out.data() + start, &size, 4);
}

void deserialize(std::string_view bytes, ImportedRow& row) {
    row = ImportedRow{};
    row.line = static_cast<std::size_t>(line_of(bytes));
    Reader r{bytes.data() + header_bytes};
    if (bytes[header_bytes - 1] == 0) {  // the kind byte
        OrderLine o;
        order_line_fields(o, r);
        row.record = std::move(o);
    } else {
        Shipment s;
        shipment_fields(s, r);
        row.record = std::move(s);
    }
}

[[noreturn]] void spill_failed(const std::filesystem::path& folder, int err) {
    if (err == ENOSPC || err == EDQUOT)
        throw OutputError(say("import.sort_disk_full", {{"folder", folder.string()}}));
    throw OutputError(say("import.sort_cannot_write", {{"folder", folder.string()}, {"reason", std::strerror(err)}}));
}

// An unnamed file: it is gone with the process, however that ends.
int open_spill_file(const std::filesystem::path& folder) {
    int fd = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    std::string name = (folder / ".fbtrack-sort-XXXXXX").string();  // file systems without O_TMPFILE
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) spill_failed(folder, errno);
    ::unlink(name.c_str());
    return fd;
}

}  // namespace

// Reads one sorted run back from the spill file, a block at a time.
class KeyOrderedSource::RunReader {
public:
    RunReader(int fd, Run run, const std::filesystem::path& folder, std::size_t buffer_bytes)
        : fd_(fd), at_(run.offset), end_(run.offset + run.size), folder_(folder) {
        buffer_.resize(buffer_bytes);
        advance();
    }
    bool done() const { return current_.empty(); }
    std::string_view current() const { return current_; }

    void advance() {
        begin_ += current_.size();
        current_ = {};
        if (!have(4)) return;
        std::uint32_t size;
        std::memcpy(&size, buffer_.data() + begin_, 4);
        if (!have(size)) throw InternalError("a sorted run of the import ends inside a row");
        current_ = std::string_view(buffer_.data() + begin_, size);
    }

private:
    // At least n bytes from begin_ in the buffer, reading more if the run has them.
    bool have(std::size_t n) {
        if (end_buffer_ - begin_ >= n) return true;
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_buffer_ - begin_);
        end_buffer_ -= begin_;
        begin_ = 0;
        if (buffer_.size() < n) buffer_.resize(n);
        while (end_buffer_ < n && at_ < end_) {
            const std::size_t want = std::min<std::uint64_t>(buffer_.size() - end_buffer_, end_ - at_);
            const ssize_t got = ::pread(fd_, buffer_.data() + end_buffer_, want, static_cast<off_t>(at_));
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) spill_failed(folder_, got < 0 ? errno : EIO);
            end_buffer_ += static_cast<std::size_t>(got);
            at_ += static_cast<std::uint64_t>(got);
        }
        return end_buffer_ >= n;
    }

    int fd_;
    std::uint64_t at_, end_;
    const std::filesystem::path& folder_;
    std::string buffer_;
    std::size_t begin_ = 0, end_buffer_ = 0;
    std::string_view current_;
};

// Offsets into a run are 32-bit: runs are capped at 1 GiB, already far past the memory bound. A
// run is at least 4 KiB: each one costs a reader's buffer when the runs are merged.
KeyOrderedSource::KeyOrderedSource(std::unique_ptr<RecordSource> source, std::filesystem::path spill_folder,
                                   PhaseTimes* timings, std::size_t run_bytes)
    : source_(std::move(source)), spill_folder_(std::move(spill_folder)), timings_(timings),
      run_bytes_(std::clamp<std::size_t>(run_bytes, 4096, std::size_t{1} << 30)) {
    buffer_.reserve(std::min<std::size_t>(run_bytes_, 1 << 20));
}

KeyOrderedSource::~KeyOrderedSource() {
    if (spill_fd_ >= 0) ::close(spill_fd_);
}

std::uint64_t KeyOrderedSource::bytes_consumed() const {
    const std::uint64_t size = source_->file_size();
    if (reading_) return source_->bytes_consumed() / 2;
    return size / 2 + (rows_sorted_ ? size / 2 * rows_handed_on_ / rows_sorted_ : size / 2);
}

void KeyOrderedSource::add(const ImportedRow& row) {
    if ((++rows_sorted_ & 0xFFF) == 0 && tick_) tick_();
    const std::size_t offset = buffer_.size();
    serialize(row, buffer_);
    entries_.push_back({static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(buffer_.size() - offset)});
    if (buffer_.size() >= run_bytes_) spill_buffer();
}

void KeyOrderedSource::sort_buffer() {
    const std::string_view all = buffer_;
    std::stable_sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) {
        return comes_before(all.substr(a.offset, a.size), all.substr(b.offset, b.size));
    });
}

void KeyOrderedSource::spill_buffer() {
    sort_buffer();
    if (spill_fd_ < 0) spill_fd_ = open_spill_file(spill_folder_);
    // Gathered in sorted order through a small block, so that the run is never held twice.
    std::string block;
    block.reserve(1 << 20);
    const std::uint64_t start = spill_size_;
    auto flush = [&] {
        std::size_t written = 0;
        while (written < block.size()) {
            const ssize_t n = ::pwrite(spill_fd_, block.data() + written, block.size() - written,
                                       static_cast<off_t>(spill_size_ + written));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) spill_failed(spill_folder_, n < 0 ? errno : EIO);
            written += static_cast<std::size_t>(n);
        }
        spill_size_ += block.size();
        block.clear();
    };
    for (const auto& e : entries_) {
        if (block.size() + e.size > block.capacity() && !block.empty()) flush();
        block.append(buffer_, e.offset, e.size);
    }
    flush();
    runs_.push_back({start, spill_size_ - start});
    buffer_.clear();
    entries_.clear();
}

void KeyOrderedSource::start_merge() {
    if (runs_.empty()) {
        sort_buffer();
        return;
    }
    if (!entries_.empty()) spill_buffer();
    std::string().swap(buffer_);
    std::vector<Entry>().swap(entries_);
    // The readers share one run's worth of memory: the merge needs no more than the sort did,
    // however many runs there are (down to 4 KiB each, past 2,000 runs: some 60 million rows).
    const std::size_t buffer_bytes = std::clamp<std::size_t>(run_bytes_ / runs_.size(), 4096, 128 << 10);
    for (const auto& run : runs_) {
        readers_.push_back(std::make_unique<RunReader>(spill_fd_, run, spill_folder_, buffer_bytes));
        if (!readers_.back()->done()) heap_.push_back(readers_.size() - 1);
    }
    std::make_heap(heap_.begin(), heap_.end(), [&](std::size_t a, std::size_t b) {
        return comes_before(readers_[b]->current(), readers_[a]->current());
    });
}

bool KeyOrderedSource::next(ImportedRow& row) {
    while (reading_) {
        if (!source_->next(row)) {
            reading_ = false;
            PhaseTimes::Scope sorting(timings_, PhaseTimes::sort);
            start_merge();
            break;
        }
        if (row.record && (std::holds_alternative<OrderLine>(*row.record) || std::holds_alternative<Shipment>(*row.record))) {
            PhaseTimes::Scope sorting(timings_, PhaseTimes::sort);
            add(row);
            continue;
        }
        return true;
    }
    PhaseTimes::Scope sorting(timings_, PhaseTimes::sort);
    ++rows_handed_on_;
    if (readers_.empty()) {
        if (next_entry_ == entries_.size()) return false;
        const Entry& e = entries_[next_entry_++];
        deserialize(std::string_view(buffer_).substr(e.offset, e.size), row);
        return true;
    }
    if (heap_.empty()) return false;
    const auto later = [&](std::size_t a, std::size_t b) {
        return comes_before(readers_[b]->current(), readers_[a]->current());
    };
    std::pop_heap(heap_.begin(), heap_.end(), later);
    RunReader& reader = *readers_[heap_.back()];
    deserialize(reader.current(), row);
    reader.advance();
    if (reader.done()) heap_.pop_back();
    else std::push_heap(heap_.begin(), heap_.end(), later);
    return true;
}

}  // namespace fbtrack
