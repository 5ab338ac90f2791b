#include "services/cld_import.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <istream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "domain/cld_export.hpp"
#include "domain/cld_import.hpp"
#include "persistence/cld_imports.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/store_locks.hpp"
#include "persistence/teams.hpp"

namespace careledger::services {

namespace cld = domain::cld;
using persistence::Connection;

namespace {

// ---------------------------------------------------------------------------------------------
// Reading the file

// Windows-1252's bytes 0x80-0x9F as Unicode (0: unassigned, read as U+FFFD); the rest are
// Latin-1's.
constexpr std::array<char16_t, 32> cp1252_high{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string from_windows_1252(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char b : bytes) {
    const auto byte = static_cast<unsigned char>(b);
    if (byte < 0x80) {
      out += b;
    } else if (byte < 0xA0) {
      const char16_t c = cp1252_high[byte - 0x80];
      append_utf8(out, c ? c : 0xFFFD);
    } else {
      append_utf8(out, byte);
    }
  }
  return out;
}

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("sha256 failed");
    }
  }
  ~Sha256() { EVP_MD_CTX_free(context_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void add(std::string_view bytes) { EVP_DigestUpdate(context_, bytes.data(), bytes.size()); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned size = 0;
    EVP_DigestFinal_ex(context_, digest.data(), &size);
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < size; ++i) {
      out += digits[digest[i] >> 4];
      out += digits[digest[i] & 0xF];
    }
    return out;
  }

 private:
  EVP_MD_CTX* context_;
};

// A file's CSV records one at a time, a chunk of it in memory.
class Records {
 public:
  Records(std::istream& in, bool windows_1252, Sha256* sha)
      : in_(in), windows_1252_(windows_1252), sha_(sha), chunk_(std::size_t{1} << 20, '\0') {}

  // False at the end; a malformed file ends with error() set.
  bool next(cld::CsvRecord& record) {
    for (;;) {
      const auto status = reader_.next(record);
      if (status == cld::CsvReader::Status::record) return true;
      if (status == cld::CsvReader::Status::end || status == cld::CsvReader::Status::error) {
        return false;
      }
      if (finished_) return false;
      in_.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
      if (in_.bad()) throw std::runtime_error("the uploaded file could not be read back");
      const auto got = static_cast<std::size_t>(in_.gcount());
      if (got == 0) {
        finished_ = true;
        reader_.finish();
        continue;
      }
      std::string_view bytes(chunk_.data(), got);
      if (sha_) sha_->add(bytes);
      if (windows_1252_) {
        text_ = from_windows_1252(bytes);
      } else {
        text_.assign(bytes);
      }
      reader_.feed(text_);
    }
  }
  const std::optional<cld::CsvError>& error() const { return reader_.error(); }

 private:
  std::istream& in_;
  bool windows_1252_;
  Sha256* sha_;
  std::string chunk_;
  std::string text_;
  bool finished_ = false;
  cld::CsvReader reader_;
};

std::string csv_line(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    cld::append_field(line, fields[i]);
  }
  return line;
}

std::vector<std::string> parse_line(const std::string& line) {
  cld::CsvReader reader;
  reader.feed(line);
  reader.finish();
  cld::CsvRecord record;
  while (reader.next(record) == cld::CsvReader::Status::need_more) {
  }
  return std::move(record.fields);
}

// ---------------------------------------------------------------------------------------------
// The scratch database a file's rows wait in, by person, between the two passes: on disk beside
// the store, removed when the import ends.

constexpr std::string_view staging_prefix = "careledger-import-";
constexpr std::size_t max_refusals_listed = 1000;
constexpr std::string_view staging_suffix = ".staging";

// Made new, readable by this process's user alone, never through a link, before SQLite opens it:
// it holds NHS numbers and dates of birth.
std::string created_private(const std::string& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create the import's scratch file " + path);
  ::close(fd);
  return path;
}

class Staging {
 public:
  explicit Staging(const std::string& directory)
      : path_(created_private((std::filesystem::path(directory.empty() ? "." : directory) /
                               (new_id(staging_prefix) + std::string(staging_suffix)))
                                  .string())),
        db_(path_, SQLite::OPEN_READWRITE) {
    db_.exec("PRAGMA journal_mode = OFF");
    db_.exec("PRAGMA synchronous = OFF");
    db_.exec(
        "CREATE TABLE staged (person TEXT NOT NULL, ord INTEGER NOT NULL, start TEXT NOT NULL, "
        "line INTEGER NOT NULL, fields TEXT NOT NULL)");
    db_.exec(
        "CREATE TABLE unrepresented (line INTEGER NOT NULL, reason TEXT NOT NULL, "
        "row TEXT NOT NULL)");
    db_.exec("CREATE TABLE aliases (la_id TEXT PRIMARY KEY, nhs TEXT NOT NULL)");
  }
  ~Staging() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;
  SQLite::Database& db() { return db_; }

 private:
  std::string path_;
  SQLite::Database db_;
};

// ---------------------------------------------------------------------------------------------
// One person's records, folded from their events: what rows are matched with.

struct Facts {
  cld::PersonFacts facts;
  // The stream of each record, by id.
  std::map<std::string, std::string> streams;
};

template <typename State>
bool take(const std::string& stream, const std::vector<persistence::EventRecord>& records,
          std::vector<State>& out) {
  if (!domain::stream_subject<State>(stream)) return false;
  out.push_back(fold<State>(records));
  return true;
}

Facts facts_of(Connection& db, const domain::PersonId& person) {
  std::map<std::string, std::vector<persistence::EventRecord>> by_stream;
  std::int64_t after = 0;
  for (;;) {
    auto page = persistence::read_person_events(db, person, after, 1000);
    if (page.empty()) break;
    after = page.back().position;
    for (auto& record : page) by_stream[record.stream_id].push_back(std::move(record));
  }
  Facts out;
  auto& f = out.facts;
  for (const auto& [stream, records] : by_stream) {
    if (auto id = domain::stream_subject<domain::PersonState>(stream)) {
      f.person = fold<domain::PersonState>(records);
      continue;
    }
    const bool taken = take(stream, records, f.requests) || take(stream, records, f.assessments) ||
                       take(stream, records, f.episodes) || take(stream, records, f.reviews);
    (void)taken;
  }
  for (const auto& r : f.requests) out.streams[r.id.str()] = domain::stream_name(r.id);
  for (const auto& a : f.assessments) out.streams[a.id.str()] = domain::stream_name(a.id);
  for (const auto& e : f.episodes) out.streams[e.id.str()] = domain::stream_name(e.id);
  for (const auto& v : f.reviews) out.streams[v.id.str()] = domain::stream_name(v.id);
  return out;
}

// The event of `type` that still stands last in a stream, to be voided by a later file.
std::optional<std::string> standing_event(const std::vector<persistence::EventRecord>& stream,
                                          std::string_view type) {
  std::optional<std::string> found;
  for (const auto* record : persistence::standing_events(stream)) {
    if (record->type == type) found = record->event_id;
  }
  return found;
}

struct Tally {
  long long recorded = 0;
  long long unchanged = 0;
  long long superseded = 0;
  long long unrepresented = 0;
};

// A record changed by someone else while a person's rows were recorded: the rows recorded
// before it stand (with their keys), and the person's rows are read again.
struct PersonConflict {
  std::size_t line = 0;
  long long recorded = 0;  // rows of this attempt that were recorded
};

struct Run {
  Context& store;
  const Actor& actor;
  std::string import_id;
  std::string la_code;
  std::optional<domain::Team> team;
  std::mutex mutex;  // over what follows
  Tally counts;
  std::vector<CldUnrepresented> late_unrepresented;  // rows found unrepresentable while recording
};

struct StagedRow {
  cld::ImportedRow row;
  std::string sent;  // the record as CSV, in R1's order
};

// ---------------------------------------------------------------------------------------------
// Recording one person's rows.

class PersonImport {
 public:
  PersonImport(Run& run, const std::vector<StagedRow>& rows)
      : run_(run), rows_(rows), db_(run.store.readers.acquire()) {}

  void record() {
    const auto& first = rows_.front().row;
    // A person's NHS number, from whichever of their rows gives it.
    for (const auto& s : rows_) {
      if (s.row.person.nhs_number) {
        nhs_number_ = s.row.person.nhs_number;
        break;
      }
    }
    person_ = find_person(first.person);
    if (person_) {
      facts_ = facts_of(*db_, *person_);
      update_person(first);
    } else {
      register_person();
    }
    // The record each assessment row will be, so that a request before it can name it.
    for (const auto& staged : rows_) {
      if (staged.row.type == cld::EventType::assessment) {
        if (auto existing = match_assessment(staged.row)) {
          assessment_ids_[staged.row.line] = existing->id;
        } else {
          assessment_ids_[staged.row.line] = domain::AssessmentId{new_id("asm_")};
        }
      }
    }
    for (const auto& staged : rows_) {
      // The same event twice in one file (its key) is recorded once.
      if (!keys_seen_.insert(cld::row_key(staged.row)).second) {
        ++counts_.unchanged;
        continue;
      }
      switch (staged.row.type) {
        case cld::EventType::request:
          request(staged);
          break;
        case cld::EventType::assessment:
          assessment(staged);
          break;
        case cld::EventType::service:
          service(staged);
          break;
        case cld::EventType::review:
          review(staged);
          break;
      }
    }
    flush();
  }

  const Tally& counts() const { return counts_; }
  std::vector<CldUnrepresented>& late() { return late_; }

 private:
  // ------------------------------------------------------------------ the person
  std::optional<domain::PersonId> find_person(const cld::ImportedPerson& p) {
    if (nhs_number_) {
      if (auto id = persistence::person_by_nhs_number(*db_, *nhs_number_)) return id;
    }
    if (!p.la_id.empty()) {
      if (auto id = persistence::imported_person(*db_, run_.la_code, p.la_id)) return id;
      // A careledger file names its own people by id.
      if (auto found = persistence::find(*db_, domain::PersonId{p.la_id})) return found->id;
    }
    return std::nullopt;
  }

  void register_person() {
    const auto& first = rows_.front().row;
    domain::PersonRegistered registered;
    registered.person_id = domain::PersonId{new_id("per_")};
    registered.given_name = "Not recorded";
    registered.family_name = "Not recorded";
    registered.date_of_birth = first.person.date_of_birth;
    registered.team = *run_.team;
    registered.nhs_number = nhs_number_;
    const bool all_carer = std::all_of(rows_.begin(), rows_.end(), [](const StagedRow& s) {
      return s.row.person.client_type == domain::ClientType::carer;
    });
    registered.client_type =
        all_carer ? domain::ClientType::carer : domain::ClientType::service_user;
    registered.gender = first.person.gender;
    registered.ethnicity = first.person.ethnicity;
    registered.has_unpaid_carer = first.person.has_unpaid_carer;
    // A person with only a carer's rows is held to need what they say: Support to Carer.
    registered.primary_support_reason =
        all_carer ? first.person.primary_support_reason : service_user_reason();
    domain::Date earliest = first.start;
    for (const auto& s : rows_) earliest = std::min(earliest, s.row.start);
    registered.registered_on = std::min(earliest, run_.store.today());
    std::vector<domain::Event> events{registered};
    if (first.person.date_of_death)
      events.push_back(domain::PersonDied{*first.person.date_of_death});

    person_ = registered.person_id;
    facts_.facts.person = domain::evolve(domain::PersonState{}, registered);
    const std::string la_id = first.person.la_id;
    auto beside = [la_code = run_.la_code, la_id,
                   person = registered.person_id](persistence::Connection& db) {
      if (!la_id.empty()) persistence::record_imported_person(db, la_code, la_id, person);
    };
    append(domain::stream_name(registered.person_id), persistence::ExpectedVersion::no_stream(),
           events, first.line, beside);
  }

  // The reason a service user's rows give (a carer's rows say Support to Carer).
  std::optional<domain::SupportReason> service_user_reason() const {
    for (const auto& s : rows_) {
      if (s.row.person.client_type != domain::ClientType::carer) {
        return s.row.person.primary_support_reason;
      }
    }
    return std::nullopt;
  }

  // Details that differ from those held at the file's end, as the export would write them,
  // become a change from then; a death not yet recorded is recorded.
  void update_person(const cld::ImportedRow& first) {
    const auto& person = facts_.facts.person;
    const domain::Date on = std::min(first.period.to, run_.store.today());
    const auto held = domain::details_on(person, on);
    domain::PersonDetailsChanged change;
    change.effective_on = on;
    bool changed = false;
    auto differ = [](const auto& file, const auto& held_value, auto unrecorded) {
      return file && cld::text(*file) != cld::text(held_value.value_or(unrecorded));
    };
    if (differ(first.person.gender, held.gender, domain::Gender::unknown)) {
      change.gender = first.person.gender;
      changed = true;
    }
    if (differ(first.person.ethnicity, held.ethnicity, domain::Ethnicity::not_known)) {
      change.ethnicity = first.person.ethnicity;
      changed = true;
    }
    if (differ(first.person.has_unpaid_carer, held.has_unpaid_carer,
               domain::UnpaidCarer::unknown)) {
      change.has_unpaid_carer = first.person.has_unpaid_carer;
      changed = true;
    }
    const auto reason = service_user_reason();
    if (differ(reason, held.primary_support_reason, domain::SupportReason::unknown)) {
      change.primary_support_reason = reason;
      changed = true;
    }
    std::vector<domain::Event> events;
    if (changed) events.push_back(change);
    if (first.person.date_of_death && !person.date_of_death) {
      events.push_back(domain::PersonDied{*first.person.date_of_death});
    }
    if (events.empty()) return;
    // Any version: a change of details from the file's end stands whatever else is recorded
    // about the person meanwhile (their casework, or their rows under another key).
    append(domain::stream_name(*person_), persistence::ExpectedVersion::any(), events, first.line,
           {});
  }

  domain::Team team() const { return facts_.facts.person.team; }

  // ------------------------------------------------------------------ matching
  // The export's rows of the person's records for a period, read back as an import reads them,
  // by reference.
  const std::map<std::string, cld::ImportedRow>& exported(const cld::Period& period) {
    auto [at, added] = exported_.try_emplace(period.from.time_since_epoch().count() * 100000LL +
                                             period.to.time_since_epoch().count());
    if (added) {
      const auto columns = cld::r1_columns();
      for (const auto& row : cld::rows_of(facts_.facts, period, run_.la_code)) {
        std::vector<std::string> fields(row.fields.begin(), row.fields.end());
        auto reading = cld::read_row(columns, 0, fields, run_.la_code, domain::Date::max());
        if (reading.row) at->second.emplace(row.fields[cld::col::event_reference], *reading.row);
      }
    }
    return at->second;
  }

  // The id a row names: its reference, if a record of the person's; else its key's.
  struct Match {
    std::string id;
    std::optional<persistence::ImportedRowKey> key;  // when found by key
  };
  template <typename State>
  std::optional<Match> match(const cld::ImportedRow& row, const std::vector<State>& records) {
    auto held = [&](const std::string& id) {
      return std::any_of(records.begin(), records.end(),
                         [&](const State& s) { return s.id.str() == id; });
    };
    if (!row.reference.empty() && held(row.reference)) return Match{row.reference, std::nullopt};
    if (auto key = persistence::imported_row(*db_, cld::row_key(row))) {
      if (auto id = domain::stream_subject<State>(key->stream_id); id && held(id->str())) {
        return Match{id->str(), key};
      }
    }
    return std::nullopt;
  }

  template <typename State>
  static State* by_id(std::vector<State>& records, const std::string& id) {
    for (auto& r : records) {
      if (r.id.str() == id) return &r;
    }
    return nullptr;
  }

  enum class Verdict { unchanged, superseded, changed };
  // Whether the row says what the export of the record says for the row's period. A row of a file
  // older than the one that last set its key is superseded, whatever it says.
  Verdict verdict(const cld::ImportedRow& row, const Match& match) {
    if (match.key && match.key->period_end > row.period.to) return Verdict::superseded;
    const auto& rows = exported(row.period);
    const auto found = rows.find(match.id);
    if (found != rows.end() && cld::same_event(row, found->second)) return Verdict::unchanged;
    return Verdict::changed;
  }

  // True, and counted, when the row changes nothing of the record it names.
  bool settled(const cld::ImportedRow& row, const Match& match) {
    switch (verdict(row, match)) {
      case Verdict::unchanged:
        ++counts_.unchanged;
        return true;
      case Verdict::superseded:
        ++counts_.superseded;
        return true;
      case Verdict::changed:
        break;
    }
    return false;
  }

  // A held record made to say what the row says: its standing event of `type` voided ("CLD
  // import ID line N"), then `replacement`, if any.
  void replace(const cld::ImportedRow& row, const std::string& id, std::string_view type,
               std::optional<domain::Event> replacement) {
    const std::string stream = facts_.streams.at(id);
    auto events = stream_events(stream);
    std::vector<domain::Event> out;
    if (auto standing = standing_event(events, type)) out.push_back(voided(*standing, row));
    if (replacement) out.push_back(std::move(*replacement));
    if (out.empty()) {
      ++counts_.unchanged;
      return;
    }
    append_row(stream, persistence::ExpectedVersion::exact(events.back().version), out, row);
  }

  std::optional<domain::AssessmentState> match_assessment(const cld::ImportedRow& row) {
    if (auto m = match(row, facts_.facts.assessments)) {
      return *by_id(facts_.facts.assessments, m->id);
    }
    // One already waiting from that day (recorded live, or from a derived request).
    const auto kind = kind_of(row);
    for (const auto& a : facts_.facts.assessments) {
      if (a.status == domain::AssessmentStatus::waiting && a.requested_on == row.start &&
          a.kind == kind) {
        return a;
      }
    }
    return std::nullopt;
  }

  static domain::AssessmentKind kind_of(const cld::ImportedRow& row) {
    return row.person.client_type == domain::ClientType::carer ? domain::AssessmentKind::carer
                                                               : domain::AssessmentKind::needs;
  }

  // ------------------------------------------------------------------ rows
  void request(const StagedRow& staged) {
    const auto& row = staged.row;
    if (row.derived && carried(row)) {
      ++counts_.unchanged;
      return;
    }
    if (auto m = match(row, facts_.facts.requests)) {
      if (settled(row, *m)) return;
      // The assessment it started stays named while the outcome is still progress to assessment.
      const auto* held = by_id(facts_.facts.requests, m->id);
      std::optional<domain::AssessmentId> started;
      if (*row.outcome == domain::EventOutcome::progress_to_assessment && held) {
        started = held->assessment_id;
      }
      replace(row, m->id, domain::RequestDecided::type,
              domain::RequestDecided{*row.end, *row.outcome, started});
      return;
    }
    const domain::RequestId id{new_id("req_")};
    std::optional<domain::AssessmentId> assessment;
    if (row.outcome == domain::EventOutcome::progress_to_assessment) {
      assessment = assessment_after(row);
      // An assessment the file does not show completed is not made up: CLD leaves out those
      // closed without completion (most of them) as it does those still waiting, and a team's
      // waiting list must not fill with assessments that ended long ago.
      if (assessment) linked_requests_[assessment->str()] = id;
    }
    std::vector<domain::Event> events{
        domain::RequestReceived{id, *person_, team(), row.start, row.route},
        domain::RequestDecided{*row.end, *row.outcome, assessment}};
    append_row(domain::stream_name(id), persistence::ExpectedVersion::no_stream(), events, row);
    facts_.streams[id.str()] = domain::stream_name(id);
  }

  // The assessment a request's progress to assessment started: the person's assessment row
  // starting on its end, else within 28 days after it.
  std::optional<domain::AssessmentId> assessment_after(const cld::ImportedRow& request) {
    const cld::ImportedRow* best = nullptr;
    for (const auto& s : rows_) {
      const auto& a = s.row;
      if (a.type != cld::EventType::assessment || a.start < *request.end) continue;
      const int days = domain::days_between(*request.end, a.start);
      if (days > 28) continue;
      if (!best || days < domain::days_between(*request.end, best->start)) best = &a;
    }
    if (!best) return std::nullopt;
    return assessment_ids_.at(best->line);
  }

  // A request careledger derived from its assessment, which carries it. One whose assessment
  // the file does not show completed is recorded as a request (CLD cannot tell a waiting
  // assessment from one closed without completion).
  bool carried(const cld::ImportedRow& row) {
    const auto kind = kind_of(row);
    const std::string named = row.reference.ends_with("/request")
                                  ? row.reference.substr(0, row.reference.size() - 8)
                                  : std::string();
    return std::any_of(facts_.facts.assessments.begin(), facts_.facts.assessments.end(),
                       [&](const domain::AssessmentState& a) {
                         return a.id.str() == named ||
                                (a.requested_on == row.start && a.kind == kind);
                       }) ||
           std::any_of(rows_.begin(), rows_.end(), [&](const StagedRow& s) {
             return s.row.type == cld::EventType::assessment && s.row.start == row.start &&
                    kind_of(s.row) == kind;
           });
  }

  domain::AssessmentCompleted completion(const cld::ImportedRow& row) const {
    std::optional<domain::EventOutcome> outcome;
    if (row.outcome && domain::outcome_allowed(*row.outcome, domain::OutcomeOf::assessment)) {
      outcome = row.outcome;
    }
    return domain::AssessmentCompleted{*row.end, *row.eligible_needs, outcome};
  }

  void assessment(const StagedRow& staged) {
    const auto& row = staged.row;
    const auto id = assessment_ids_.at(row.line);
    if (auto* held = by_id(facts_.facts.assessments, id.str())) {
      if (held->status == domain::AssessmentStatus::closed) {  // closed here: it stays so
        ++counts_.unchanged;
        return;
      }
      // A completed one may be corrected; a waiting one (recorded live, or from a derived request)
      // is completed.
      if (held->status == domain::AssessmentStatus::completed &&
          settled(row, Match{id.str(), persistence::imported_row(*db_, cld::row_key(row))})) {
        return;
      }
      replace(row, id.str(), domain::AssessmentCompleted::type, completion(row));
      return;
    }
    domain::AssessmentRequested requested;
    requested.assessment_id = id;
    requested.person_id = *person_;
    requested.team = team();
    requested.kind = kind_of(row);
    requested.requested_on = row.start;
    requested.priority = domain::Priority::medium;
    if (auto linked = linked_requests_.find(id.str()); linked != linked_requests_.end()) {
      requested.request_id = linked->second;
    }
    append_row(domain::stream_name(id), persistence::ExpectedVersion::no_stream(),
               {requested, completion(row)}, row);
  }

  domain::SupportEnded ending(const cld::ImportedRow& row, const cld::ImportedEpisode& episode) {
    domain::SupportEnded ended;
    ended.ended_on = *row.end;
    if (row.outcome && domain::outcome_allowed(*row.outcome, domain::OutcomeOf::episode_end)) {
      ended.end_reason = row.outcome;
    }
    if (episode.kind == domain::SupportKind::short_term) {
      bool long_term = false;
      bool lower = false;
      auto next = [&](domain::SupportKind kind, const std::optional<domain::ShortTermType>& type,
                      domain::Date start) {
        if (start < *row.end || domain::days_between(*row.end, start) > 3) return;
        if (kind == domain::SupportKind::long_term) long_term = true;
        if (kind == domain::SupportKind::short_term && !domain::is_st_max(kind, type)) lower = true;
      };
      for (const auto& s : rows_) {
        if (s.row.type != cld::EventType::service || s.row.line == row.line) continue;
        if (auto e = cld::episode_of(s.row)) next(e->kind, e->short_term_type, s.row.start);
      }
      for (const auto& e : facts_.facts.episodes) next(e.kind, e.short_term_type, e.started_on);
      ended.sequel = cld::sequel_of(row, long_term, lower);
    }
    return ended;
  }

  void service(const StagedRow& staged) {
    const auto& row = staged.row;
    const auto episode = *cld::episode_of(row);
    if (auto m = match(row, facts_.facts.episodes)) {
      if (settled(row, *m)) return;
      // A later file ends it, ends it otherwise, or shows it open again.
      replace(row, m->id, domain::SupportEnded::type,
              row.end ? std::optional<domain::Event>(ending(row, episode)) : std::nullopt);
      return;
    }
    domain::SupportStarted started;
    started.episode_id = domain::SupportEpisodeId{new_id("sup_")};
    started.person_id = *person_;
    started.team = team();
    started.kind = episode.kind;
    started.setting = episode.setting;
    started.delivery = row.delivery;
    started.started_on = row.start;
    started.short_term_type = episode.short_term_type;
    started.service_component = row.service_component;
    std::vector<domain::Event> events{started};
    if (row.end) events.push_back(ending(row, episode));
    append_row(domain::stream_name(started.episode_id), persistence::ExpectedVersion::no_stream(),
               events, row);
    auto state = domain::SupportEpisodeState{};
    for (const auto& e : events) state = domain::evolve(std::move(state), e);
    added_episodes_.push_back(state);
  }

  domain::ReviewRecorded reviewed(const cld::ImportedRow& row, domain::ReviewId id) const {
    domain::ReviewRecorded recorded;
    recorded.review_id = id;
    recorded.person_id = *person_;
    recorded.team = team();
    recorded.reviewed_on = *row.end;
    recorded.planned = row.planned;
    recorded.outcome = cld::review_outcome_of(row.outcome);
    if (!row.planned) recorded.review_reason = row.review_reason;
    recorded.outcomes_achieved = row.outcomes_achieved;
    return recorded;
  }

  void review(const StagedRow& staged) {
    const auto& row = staged.row;
    if (auto m = match(row, facts_.facts.reviews)) {
      if (settled(row, *m)) return;
      replace(row, m->id, domain::ReviewRecorded::type, reviewed(row, domain::ReviewId{m->id}));
      return;
    }
    auto in_long_term = [&](const domain::SupportEpisodeState& e) {
      return e.kind == domain::SupportKind::long_term &&
             domain::in_support_on(e.started_on, e.ended_on, *row.end);
    };
    if (std::none_of(facts_.facts.episodes.begin(), facts_.facts.episodes.end(), in_long_term) &&
        std::none_of(added_episodes_.begin(), added_episodes_.end(), in_long_term)) {
      ++counts_.unrepresented;
      late_.push_back({row.line, "a review outside long-term support", staged.sent});
      return;
    }
    const domain::ReviewId id{new_id("rev_")};
    append_row(domain::stream_name(id), persistence::ExpectedVersion::no_stream(),
               {reviewed(row, id)}, row);
  }

  // ------------------------------------------------------------------ appending
  domain::EventVoided voided(const std::string& event_id, const cld::ImportedRow& row) const {
    return domain::EventVoided{event_id,
                               "CLD import " + run_.import_id + " line " + std::to_string(row.line),
                               run_.store.today()};
  }

  // A row's events, with its key beside them.
  void append_row(const std::string& stream, persistence::ExpectedVersion expected,
                  const std::vector<domain::Event>& events, const cld::ImportedRow& row) {
    auto beside = [key = cld::row_key(row), stream, period_end = row.period.to,
                   import_id = run_.import_id, line = row.line](persistence::Connection& db) {
      persistence::record_imported_row(db, key, stream, period_end, import_id,
                                       static_cast<std::int64_t>(line));
    };
    append(stream, expected, events, row.line, beside, true);
    ++counts_.recorded;
  }

  void append(const std::string& stream, persistence::ExpectedVersion expected,
              const std::vector<domain::Event>& events, std::size_t line,
              std::function<void(persistence::Connection&)> beside, bool row = false) {
    persistence::AppendRequest request;
    request.stream_id = stream;
    request.expected = expected;
    for (const auto& e : events) request.events.push_back({e, team_for(e), person_});
    request.recorded_by = run_.actor.name;
    boost::json::object origin{{"import_id", run_.import_id},
                               {"line", static_cast<std::int64_t>(line)}};
    request.origin = boost::json::serialize(origin);
    request.beside = std::move(beside);
    pending_.push_back(std::move(request));
    pending_lines_.push_back(line);
    pending_rows_.push_back(row);
  }

  // A record's events as stored, once what this person's rows have queued for it is recorded.
  std::vector<persistence::EventRecord> stream_events(const std::string& stream) {
    if (std::any_of(pending_.begin(), pending_.end(),
                    [&](const persistence::AppendRequest& r) { return r.stream_id == stream; })) {
      flush();
    }
    return persistence::read_stream(*db_, stream);
  }

  // The person's appends, queued together so that they share commits, in order.
  void flush() {
    if (pending_.empty()) return;
    const auto results = run_.store.writer.append_all(std::move(pending_));
    pending_.clear();
    std::optional<PersonConflict> conflict;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (std::holds_alternative<persistence::WrongExpectedVersion>(results[i])) {
        if (!conflict) conflict = PersonConflict{pending_lines_[i], 0};
      } else if (pending_rows_[i]) {
        ++appended_rows_;
      }
    }
    pending_lines_.clear();
    pending_rows_.clear();
    if (conflict) {
      conflict->recorded = appended_rows_;
      throw *conflict;
    }
  }

  domain::Team team_for(const domain::Event& e) const {
    if (const auto* r = std::get_if<domain::PersonRegistered>(&e)) return r->team;
    return team();
  }

  Run& run_;
  const std::vector<StagedRow>& rows_;
  persistence::ReadLease db_;
  std::optional<domain::PersonId> person_;
  std::optional<std::string> nhs_number_;
  Facts facts_;
  std::map<std::size_t, domain::AssessmentId> assessment_ids_;  // by line
  std::map<std::string, domain::RequestId> linked_requests_;    // by assessment id
  std::vector<domain::SupportEpisodeState> added_episodes_;     // by this file
  std::unordered_map<long long, std::map<std::string, cld::ImportedRow>> exported_;
  std::set<std::string> keys_seen_;
  std::vector<persistence::AppendRequest> pending_;  // appended together at the end
  std::vector<std::size_t> pending_lines_;
  std::vector<bool> pending_rows_;  // an append of a row (not of the person's details)
  long long appended_rows_ = 0;     // rows recorded so far
  Tally counts_;
  std::vector<CldUnrepresented> late_;
};

}  // namespace

boost::json::object cld_report_json(const CldImportReport& r) {
  boost::json::array refused;
  refused.reserve(r.refused.size());
  for (const auto& f : r.refused) {
    refused.push_back(
        {{"line", static_cast<std::int64_t>(f.line)}, {"field", f.field}, {"message", f.message}});
  }
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
  };
  return {{"import_id", text_or_null(r.import_id)},
          {"file_sha256", r.file_sha256},
          {"imported_by", text_or_null(r.imported_by)},
          {"imported_at", text_or_null(r.imported_at)},
          {"dry_run", r.dry_run},
          {"repeat", r.repeat},
          {"rows", r.rows},
          {"recorded", r.recorded},
          {"unchanged", r.unchanged},
          {"superseded", r.superseded},
          {"unrepresented", r.unrepresented},
          {"refused_total", r.refused_total},
          {"refused", std::move(refused)}};
}

namespace {

CldImportReport report_from_json(const std::string& text) {
  const auto value = boost::json::parse(text).as_object();
  CldImportReport r;
  r.import_id = std::string(value.at("import_id").as_string());
  r.file_sha256 = std::string(value.at("file_sha256").as_string());
  r.imported_by = std::string(value.at("imported_by").as_string());
  r.imported_at = std::string(value.at("imported_at").as_string());
  r.rows = value.at("rows").as_int64();
  r.recorded = value.at("recorded").as_int64();
  r.unchanged = value.at("unchanged").as_int64();
  r.superseded = value.at("superseded").as_int64();
  r.unrepresented = value.at("unrepresented").as_int64();
  r.refused_total = value.at("refused_total").as_int64();
  for (const auto& f : value.at("refused").as_array()) {
    const auto& o = f.as_object();
    r.refused.push_back({static_cast<std::size_t>(o.at("line").as_int64()),
                         std::string(o.at("field").as_string()),
                         std::string(o.at("message").as_string())});
  }
  return r;
}

}  // namespace

// -----------------------------------------------------------------------------------------------

struct CldImports::Impl {
  Impl(Context& s, std::string directory, int w)
      : store(s), scratch(std::move(directory)), workers(std::max(1, w)) {}
  Context& store;
  std::string scratch;
  int workers;
  std::mutex one_at_a_time;

  CldImportReport run(const Actor& actor, const OpenFile& file, const CldImportOptions& options);
  void record(Run& run, Staging& staging);
};

CldImports::CldImports(Context& store, std::string scratch_directory, int workers)
    : impl_(std::make_shared<Impl>(store, std::move(scratch_directory), workers)) {
  // An import cut short (the process killed) leaves its scratch file: personal data, so gone
  // before anything else is imported. The directory is the store's (beside a SQLite file, into
  // which one process imports at a time) or this process's own (ScratchDirectory), never one
  // another process stages in.
  std::error_code ec;
  const std::filesystem::path folder(impl_->scratch.empty() ? "." : impl_->scratch);
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with(staging_prefix) && name.ends_with(staging_suffix)) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

CldImportReport CldImports::import(const Actor& actor, const OpenFile& file,
                                   const CldImportOptions& options) {
  require_purpose(actor, Purpose::national_return);
  if (!impl_->store.config.la_code) {
    throw Failure(Failure::Kind::conflict, "the council's CLD code is not configured",
                  {{"cld.la_code", "is not set in the configuration"}});
  }
  if (options.team) {
    auto db = impl_->store.readers.acquire();
    if (!persistence::team_registered(*db, options.team->str())) {
      throw invalid_field("team", "is not a registered team");
    }
  }
  std::lock_guard lock(impl_->one_at_a_time);
  // One import at a time in every process serving the store, from before a file is checked
  // against those imported until it is recorded as imported: a second import of one file waits,
  // then finds it imported and answers as a repeat. A dry run records nothing and waits for none.
  std::unique_ptr<persistence::StoreLock> importing;
  if (!options.dry_run) importing = persistence::lock_cld_imports(impl_->store.readers.path());
  return impl_->run(actor, file, options);
}

CldImportReport CldImports::Impl::run(const Actor& actor, const OpenFile& file,
                                      const CldImportOptions& options) {
  const std::string la_code = *store.config.la_code;
  const domain::Date today = store.today();
  CldImportReport report;
  report.dry_run = options.dry_run;
  report.imported_by = actor.name;
  report.imported_at = persistence::utc_now_rfc3339();

  // First pass: check every row, stage the rows to record by person.
  Staging staging(scratch);
  // The first refusals are listed (a file refused throughout would fill memory); all counted.
  auto refuse = [&report](CldRefusal refusal) {
    if (report.refused.size() < max_refusals_listed) report.refused.push_back(std::move(refusal));
    ++report.refused_total;
  };
  bool unknown_person = false;
  {
    auto in = file();
    Sha256 sha;
    Records records(*in, options.windows_1252, &sha);
    cld::CsvRecord record;
    std::optional<cld::Columns> columns;
    SQLite::Transaction transaction(staging.db());
    SQLite::Statement stage(staging.db(), "INSERT INTO staged VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement keep(staging.db(), "INSERT INTO unrepresented VALUES (?, ?, ?)");
    auto db = store.readers.acquire();
    std::string last_person;
    bool known = false;        // the last key seen names a person recorded
    domain::Date last_born{};  // theirs
    SQLite::Statement alias(staging.db(), "INSERT OR IGNORE INTO aliases VALUES (?, ?)");
    while (records.next(record)) {
      if (!columns) {
        auto found = cld::columns_of(record.fields);
        if (auto* missing = std::get_if<std::vector<cld::Refusal>>(&found)) {
          for (auto& m : *missing) refuse({m.line, m.field, m.message});
          break;
        }
        columns = std::get<cld::Columns>(found);
        continue;
      }
      ++report.rows;
      auto reading = cld::read_row(*columns, record.line, record.fields, la_code, today);
      if (reading.row) {
        const auto& p = reading.row->person;
        const std::string key = cld::person_key(p);
        if (key != last_person) {
          last_person = key;
          known = false;
          std::optional<domain::PersonId> id;
          if (p.nhs_number) id = persistence::person_by_nhs_number(*db, *p.nhs_number);
          if (!id && !p.la_id.empty()) id = persistence::imported_person(*db, la_code, p.la_id);
          if (!id && !p.la_id.empty()) {
            if (auto found = persistence::find(*db, domain::PersonId{p.la_id})) id = found->id;
          }
          if (id) {
            known = true;
            last_born = persistence::find(*db, *id)->date_of_birth;
          }
        }
        if (known && last_born != p.date_of_birth) {
          reading.refusals.push_back({record.line, "Date_of_Birth",
                                      "differs from the date of birth of the person already "
                                      "recorded with this NHS number or LA id"});
          reading.row.reset();
        }
      }
      for (auto& r : reading.refusals) refuse({r.line, r.field, r.message});
      if (!reading.row) continue;
      if (!reading.unrepresentable && !known) unknown_person = true;
      if (reading.unrepresentable) {
        ++report.unrepresented;
        keep.reset();
        keep.bind(1, static_cast<std::int64_t>(record.line));
        keep.bind(2, *reading.unrepresentable);
        keep.bind(3, csv_line(record.fields));
        keep.exec();
        continue;
      }
      const auto& row = *reading.row;
      if (row.person.nhs_number && !row.person.la_id.empty()) {
        alias.reset();
        alias.bind(1, "la:" + row.person.la_id);
        alias.bind(2, cld::person_key(row.person));
        alias.exec();
      }
      stage.reset();
      stage.bind(1, cld::person_key(row.person));
      stage.bind(2, cld::record_order(row.type));
      stage.bind(3, domain::format_date(row.start));
      stage.bind(4, static_cast<std::int64_t>(record.line));
      const auto fields = cld::record_fields(*columns, record.fields);
      stage.bind(5, csv_line(std::vector<std::string>(fields.begin(), fields.end())));
      stage.exec();
    }
    if (const auto& error = records.error()) {
      refuse({error->line, "", "the file is not valid CSV: " + error->message});
      report.rejected = true;
    } else if (!columns && report.refused_total == 0) {
      refuse({1, "", "the file has no header"});
      report.rejected = true;
    }
    transaction.commit();
    report.file_sha256 = sha.hex();
  }
  // The same file again is answered with its first report, however it is sent this time.
  if (!options.dry_run) {
    auto db = store.readers.acquire();
    if (auto earlier = persistence::import_by_sha256(*db, report.file_sha256)) {
      auto first = report_from_json(earlier->report);
      first.repeat = true;
      return first;
    }
  }
  if (report.refused_total > 0 && (!options.skip_rows || report.rows == 0)) report.rejected = true;
  // A header missing a column, or a file that is not CSV, is refused whatever on_error says.
  if (report.refused_total > 0 && report.refused.front().line == 1) report.rejected = true;
  if (report.rejected || options.dry_run) return report;
  // A person's rows without their NHS number are theirs when another row names both.
  staging.db().exec(
      "UPDATE staged SET person = a.nhs FROM aliases AS a WHERE staged.person = a.la_id");
  if (unknown_person && !options.team) {
    throw invalid_field("team", "is required: the file names people not yet recorded");
  }

  // Second pass: record each person's rows.
  Run run{store, actor, new_id("cldi_"), la_code, options.team, {}, {}, {}};
  record(run, staging);
  report.import_id = run.import_id;
  report.recorded = run.counts.recorded;
  report.unchanged = run.counts.unchanged;
  report.superseded = run.counts.superseded;
  report.unrepresented += run.counts.unrepresented;

  const std::string report_text = boost::json::serialize(cld_report_json(report));
  // The rows kept as sent, a thousand to a write so that casework is not held up behind them,
  // then the import itself, which a repeat of the file finds.
  SQLite::Statement late(staging.db(), "INSERT INTO unrepresented VALUES (?, ?, ?)");
  for (const auto& u : run.late_unrepresented) {
    late.reset();
    late.bind(1, static_cast<std::int64_t>(u.line));
    late.bind(2, u.reason);
    late.bind(3, u.row);
    late.exec();
  }
  SQLite::Statement kept(staging.db(), "SELECT line, reason, row FROM unrepresented ORDER BY line");
  bool more = kept.executeStep();
  while (more) {
    // Read before the write, which a writer may make again (PostgreSQL's, after a race).
    struct Kept {
      std::int64_t line;
      std::string reason, row;
    };
    std::vector<Kept> chunk;
    for (int n = 0; more && n < 1000; ++n, more = kept.executeStep()) {
      chunk.push_back({kept.getColumn(0).getInt64(), kept.getColumn(1).getString(),
                       kept.getColumn(2).getString()});
    }
    store.writer.write([&](persistence::Connection& db) {
      for (const auto& k : chunk) {
        persistence::record_unrepresented(db, run.import_id, k.line, k.reason, k.row);
      }
    });
  }
  store.writer.write([&](persistence::Connection& db) {
    persistence::record_import(db, {run.import_id, report.file_sha256, report.imported_by,
                                    report.imported_at, report_text});
  });
  return report;
}

namespace {

// A person's rows, read again (up to three times) when a record they change is changed meanwhile.
void record_person(Run& run, const std::vector<StagedRow>& rows) {
  long long recorded_before = 0;  // by attempts cut short
  for (int attempt = 1;; ++attempt) {
    PersonImport person(run, rows);
    try {
      person.record();
    } catch (const PersonConflict& conflict) {
      recorded_before += conflict.recorded;
      if (attempt < 3) continue;
      throw Failure(Failure::Kind::conflict,
                    "line " + std::to_string(conflict.line) +
                        ": the record kept changing while it was imported; import the file again "
                        "(what was recorded stands and is found unchanged)");
    }
    // What an attempt cut short recorded, a later one found unchanged.
    Tally tally = person.counts();
    const long long moved = std::min(recorded_before, tally.unchanged);
    tally.recorded += moved;
    tally.unchanged -= moved;
    std::lock_guard lock(run.mutex);
    run.counts.recorded += tally.recorded;
    run.counts.unchanged += tally.unchanged;
    run.counts.superseded += tally.superseded;
    run.counts.unrepresented += tally.unrepresented;
    for (auto& u : person.late()) run.late_unrepresented.push_back(std::move(u));
    return;
  }
}

}  // namespace

// Each person's rows go to one of the workers, a bounded queue of people ahead of them.
void CldImports::Impl::record(Run& run, Staging& staging) {
  staging.db().exec("CREATE INDEX staged_order ON staged (person, ord, start, line)");
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<StagedRow>> queue;
  bool done = false;
  std::exception_ptr failure;
  constexpr std::size_t queue_limit = 64;

  auto work = [&] {
    for (;;) {
      std::vector<StagedRow> person;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !queue.empty() || done; });
        if (queue.empty()) return;
        person = std::move(queue.front());
        queue.pop_front();
      }
      changed.notify_all();
      try {
        record_person(run, person);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (!failure) failure = std::current_exception();
        done = true;
        queue.clear();
        changed.notify_all();
        return;
      }
    }
  };
  std::vector<std::thread> threads;
  auto stop = [&] {
    {
      std::lock_guard lock(mutex);
      done = true;
      queue.clear();  // nothing more is recorded once the import has failed
    }
    changed.notify_all();
    for (auto& t : threads) t.join();
  };
  try {
    for (int i = 0; i < workers; ++i) threads.emplace_back(work);
  } catch (...) {
    stop();
    throw;
  }

  const auto columns = cld::r1_columns();
  const domain::Date today = store.today();
  SQLite::Statement rows(
      staging.db(), "SELECT person, line, fields FROM staged ORDER BY person, ord, start, line");
  std::vector<StagedRow> person;
  std::string current;
  auto hand_over = [&] {
    if (person.empty()) return true;
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return queue.size() < queue_limit || done; });
    if (failure) return false;
    queue.push_back(std::move(person));
    person.clear();
    changed.notify_all();
    return true;
  };
  bool going = true;
  try {
    while (going && rows.executeStep()) {
      std::string key = rows.getColumn(0).getString();
      if (key != current) {
        going = hand_over();
        current = std::move(key);
      }
      StagedRow staged;
      staged.sent = rows.getColumn(2).getString();
      const auto line = static_cast<std::size_t>(rows.getColumn(1).getInt64());
      auto reading = cld::read_row(columns, line, parse_line(staged.sent), run.la_code, today);
      staged.row = std::move(*reading.row);
      person.push_back(std::move(staged));
    }
    if (going) hand_over();
  } catch (...) {
    std::lock_guard lock(mutex);
    if (!failure) failure = std::current_exception();
  }
  bool failed = false;
  {
    std::lock_guard lock(mutex);
    failed = failure != nullptr;
    done = true;  // unless failed, the workers finish what is queued
  }
  if (failed) {
    stop();
    std::rethrow_exception(failure);
  }
  changed.notify_all();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

std::optional<CldImportReport> CldImports::find(const Actor& actor, const std::string& import_id) {
  require_purpose(actor, Purpose::national_return);
  auto db = impl_->store.readers.acquire();
  auto stored = persistence::import_by_id(*db, import_id);
  if (!stored) return std::nullopt;
  return report_from_json(stored->report);
}

void CldImports::each_unrepresented(const Actor& actor, const std::string& import_id,
                                    const std::function<void(const CldUnrepresented&)>& each) {
  require_purpose(actor, Purpose::national_return);
  auto db = impl_->store.readers.acquire();
  persistence::each_unrepresented(
      *db, import_id, [&](std::int64_t line, const std::string& reason, const std::string& row) {
        each({static_cast<std::size_t>(line), reason, row});
      });
}

}  // namespace careledger::services
