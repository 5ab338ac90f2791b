#include "persistence/cld_facts.hpp"

#include <SQLiteCpp/Statement.h>

#include "persistence/described_states.hpp"
#include "persistence/read_models.hpp"
#include "persistence/row_mapping.hpp"

namespace careledger::persistence {

namespace {

// The rows of one query, read in order of the person they belong to (the query's first column),
// a row ahead.
template <typename Row>
class ByPerson {
 public:
  ByPerson(Connection& db, const std::string& sql, std::optional<domain::Date> up_to)
      : q_(db.prepare(sql)) {
    if (up_to) q_->bind(1, domain::format_date(*up_to));
    step();
  }
  // Passes the rows of people before `person` (none, when every row's person is recorded).
  void skip_before(const std::string& person) {
    while (ahead_ && owner_ < person) step();
  }
  bool at(const std::string& person) const { return ahead_ && owner_ == person; }
  // Moves the rows of `person` into `out`, skipping any of people before them.
  void take(const std::string& person, std::vector<Row>& out) {
    skip_before(person);
    while (ahead_ && owner_ == person) {
      out.push_back(std::move(row_));
      step();
    }
  }
  bool done() const { return !ahead_; }
  const std::string& next_person() const { return owner_; }

 private:
  void step() {
    ahead_ = q_->executeStep();
    if (!ahead_) return;
    owner_ = q_->getColumn(0).getString();
    row_ = Row{};
    rows::read_row(*q_, 1, row_);
  }
  std::unique_ptr<Statement> q_;
  bool ahead_ = false;
  std::string owner_;
  Row row_;
};

template <typename State>
std::string records_begun_by(const char* day_column) {
  return "SELECT person_id, " + rows::column_names<State>() + " FROM " + read_model_table<State>() +
         " WHERE " + day_column + " <= ? ORDER BY person_id";
}

}  // namespace

void for_each_person_facts(Connection& db, domain::Date up_to,
                           const std::function<void(const domain::cld::PersonFacts&)>& each) {
  Transaction snapshot(db, Transaction::Mode::snapshot);
  ByPerson<domain::PersonState> people(db,
                                       "SELECT id, " + rows::column_names<domain::PersonState>() +
                                           " FROM " + read_model_table<domain::PersonState>() +
                                           " ORDER BY id",
                                       std::nullopt);
  ByPerson<domain::DetailsChange> changes(
      db,
      "SELECT person_id, " + rows::column_names<domain::DetailsChange>() +
          " FROM rm_person_details_changes ORDER BY person_id, seq",
      std::nullopt);
  ByPerson<domain::RequestState> requests(db, records_begun_by<domain::RequestState>("received_on"),
                                          up_to);
  ByPerson<domain::AssessmentState> assessments(
      db, records_begun_by<domain::AssessmentState>("requested_on"), up_to);
  ByPerson<domain::SupportEpisodeState> episodes(
      db, records_begun_by<domain::SupportEpisodeState>("started_on"), up_to);
  ByPerson<domain::ReviewState> reviews(db, records_begun_by<domain::ReviewState>("reviewed_on"),
                                        up_to);

  std::vector<domain::PersonState> person;
  domain::cld::PersonFacts facts;
  while (!people.done()) {
    // Only people with a record begun by then are read whole.
    const std::string id = people.next_person();
    requests.skip_before(id);
    assessments.skip_before(id);
    episodes.skip_before(id);
    reviews.skip_before(id);
    const bool has_records =
        requests.at(id) || assessments.at(id) || episodes.at(id) || reviews.at(id);
    person.clear();
    people.take(id, person);
    if (!has_records) continue;
    facts = {};
    facts.person = std::move(person.front());
    facts.person.exists = true;
    changes.take(id, facts.person.details_changes);
    requests.take(id, facts.requests);
    assessments.take(id, facts.assessments);
    episodes.take(id, facts.episodes);
    reviews.take(id, facts.reviews);
    for (auto& a : facts.assessments) a.exists = true;
    each(facts);
  }
  snapshot.commit();
}

}  // namespace careledger::persistence
