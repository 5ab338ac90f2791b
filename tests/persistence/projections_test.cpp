// The read models projected from the log, on both engines (both_engines.hpp).
#include "persistence/projections.hpp"

#include <algorithm>
#include <set>

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "persistence/database.hpp"
#include "persistence/event_writer.hpp"
#include "persistence/kept_lists.hpp"
#include "persistence/read_models.hpp"
#include "tests/persistence/both_engines.hpp"
#include "tests/persistence/store_fixtures.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

class ProjectionTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(store_ = std::make_unique<EmptyStore>(GetParam()));
    db = open_writer(store_->url());
  }
  // The append and its projection in one transaction: on SQLite here, on PostgreSQL through
  // the server's writer (which projects as it appends).
  void commit(const AppendRequest& request) {
    if (GetParam() == Engine::postgresql) {
      if (!writer_) writer_ = open_appender(store_->url());
      ASSERT_TRUE(std::holds_alternative<Appended>(writer_->append(request)));
      return;
    }
    careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
    auto result = append_in_transaction(*db, request, "2024-06-30T12:00:00.000Z");
    for (const auto& record : std::get<Appended>(result).records) project(*db, record);
    tx.commit();
  }
  std::unique_ptr<EmptyStore> store_;
  std::unique_ptr<persistence::Connection> db;

 private:
  std::unique_ptr<Appender> writer_;
};

INSTANTIATE_TEST_SUITE_P(BothEngines, ProjectionTest, both_engines, engine_test_name);

// What only a SQLite file does.
class SqliteProjectionTest : public ProjectionTest {};
INSTANTIATE_TEST_SUITE_P(SqliteOnly, SqliteProjectionTest, ::testing::Values(Engine::sqlite),
                         engine_test_name);

TEST_P(ProjectionTest, PersonRegisteredCreatesThePersonRow) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  auto person = find(*db, domain::PersonId{"p1"});
  ASSERT_TRUE(person);
  EXPECT_EQ(person->team, domain::Team{"north"});
  EXPECT_EQ(person->version, Version{1});
}

TEST_P(ProjectionTest, AssessmentEventsMoveTheAssessmentRowOn) {
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01")}));
  EXPECT_EQ(find(*db, domain::AssessmentId{"a1"})->status, domain::AssessmentStatus::waiting);

  commit(append("assessment-a1", ExpectedVersion::exact(Version{1}),
                {then(domain::AssessmentAllocated{"Sam", day("2024-03-05")}, "p1", "north")}));
  EXPECT_EQ(find(*db, domain::AssessmentId{"a1"})->allocated_to, "Sam");

  commit(append(
      "assessment-a1", ExpectedVersion::exact(Version{2}),
      {then(domain::AssessmentCompleted{day("2024-04-01"), true, std::nullopt}, "p1", "north")}));
  auto done = find(*db, domain::AssessmentId{"a1"});
  EXPECT_EQ(done->status, domain::AssessmentStatus::completed);
  EXPECT_EQ(done->completed_on, day("2024-04-01"));
  EXPECT_EQ(done->version, Version{3});

  commit(append("assessment-a2", ExpectedVersion::no_stream(),
                {requested("a2", "p1", "north", "2024-03-01"),
                 then(domain::AssessmentClosed{day("2024-03-09"), domain::ClosureReason::duplicate},
                      "p1", "north")}));
  auto closed = find(*db, domain::AssessmentId{"a2"});
  EXPECT_EQ(closed->status, domain::AssessmentStatus::closed);
  EXPECT_EQ(closed->closure_reason, domain::ClosureReason::duplicate);
}

TEST_P(ProjectionTest, TheWaitingListAsAtAPastDateShowsTheAllocationOfThatDay) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append(
      "assessment-a1", ExpectedVersion::no_stream(),
      {requested("a1", "p1", "north", "2024-03-01"),
       then(domain::AssessmentAllocated{"Sam", day("2024-03-05")}, "p1", "north"),
       then(domain::AssessmentAllocated{"Kim", day("2024-03-20")}, "p1", "north"),
       then(domain::AssessmentAllocated{"Ash", day("2024-03-20")}, "p1", "north"),
       then(domain::AssessmentCompleted{day("2024-04-01"), true, std::nullopt}, "p1", "north")}));
  auto waiting_on = [&](const char* as_at) {
    return waiting_as_at(*db, day(as_at), std::nullopt, std::nullopt, {}).items;
  };
  EXPECT_FALSE(waiting_on("2024-03-04").at(0).allocated_to);
  EXPECT_EQ(waiting_on("2024-03-10").at(0).allocated_to, "Sam");
  EXPECT_EQ(waiting_on("2024-03-19").at(0).allocated_to, "Sam");
  EXPECT_EQ(waiting_on("2024-03-20").at(0).allocated_to, "Ash");  // the later of one day
  EXPECT_EQ(waiting_on("2024-03-31").at(0).allocated_to, "Ash");
  EXPECT_TRUE(waiting_on("2024-04-01").empty());
  EXPECT_TRUE(waiting_on("2024-02-29").empty());
  // Read plainly from the assessment's rows, the same.
  for (const char* as_at : {"2024-03-04", "2024-03-10", "2024-03-20", "2024-04-01"}) {
    const auto plain = waiting_from_requests(*db, day(as_at), std::nullopt, std::nullopt);
    ASSERT_EQ(plain.size(), waiting_on(as_at).size()) << as_at;
    if (!plain.empty()) {
      EXPECT_EQ(plain[0].allocated_to, waiting_on(as_at)[0].allocated_to);
    }
  }
}

TEST_P(ProjectionTest, RebuildingFromTheLogGivesTheSameReadModelsAsLiveProjection) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "south")}));
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01", domain::Priority::urgent)}));
  commit(append("assessment-a2", ExpectedVersion::no_stream(),
                {requested("a2", "p2", "south", "2024-03-02", domain::Priority::low)}));
  commit(append("assessment-a1", ExpectedVersion::exact(Version{1}),
                {then(domain::AssessmentAllocated{"Sam", day("2024-03-05")}, "p1", "north")}));
  commit(append("assessment-a2", ExpectedVersion::exact(Version{1}),
                {then(domain::AssessmentClosed{day("2024-03-09"), domain::ClosureReason::declined},
                      "p2", "south")}));
  commit(append(
      "assessment-a1", ExpectedVersion::exact(Version{2}),
      {then(domain::AssessmentCompleted{day("2024-04-01"), false, std::nullopt}, "p1", "north")}));
  const std::string live = dump_read_models(*db);
  ASSERT_NE(live.find("rm_allocations|a1"), std::string::npos);

  db->exec("DELETE FROM rm_assessments WHERE id = 'a2'");  // damage, to show the rebuild repairs
  careledger::persistence::Transaction tx(*db, careledger::persistence::Transaction::Mode::write);
  rebuild_read_models(*db);
  tx.commit();
  EXPECT_EQ(dump_read_models(*db), live);
}

// Appends of several people committed together are recounted together (a statement a table for
// all of them): their read models are what each append committed alone makes of them.
TEST_P(ProjectionTest, ManyPeopleRecountedInOneCommitKeepWhatEachCommittedAloneWould) {
  domain::SupportStarted support;
  support.episode_id = domain::SupportEpisodeId{"s1"};
  support.person_id = domain::PersonId{"p1"};
  support.team = domain::Team{"north"};
  support.started_on = day("2023-02-01");
  domain::ReviewRecorded review;
  review.review_id = domain::ReviewId{"r1"};
  review.person_id = domain::PersonId{"p1"};
  review.team = domain::Team{"north"};
  review.reviewed_on = day("2024-02-01");
  domain::ConcernReceived concern;
  concern.concern_id = domain::ConcernId{"c1"};
  concern.person_id = domain::PersonId{"p3"};
  concern.team = domain::Team{"north"};
  concern.received_on = day("2024-03-03");
  const std::vector<AppendRequest> appends{
      append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}),
      append("person-p2", ExpectedVersion::no_stream(), {registered("p2", "south")}),
      append("person-p3", ExpectedVersion::no_stream(), {registered("p3", "north")}),
      append("assessment-a1", ExpectedVersion::no_stream(),
             {requested("a1", "p1", "north", "2024-03-01", domain::Priority::urgent)}),
      append("assessment-a2", ExpectedVersion::no_stream(),
             {requested("a2", "p2", "south", "2024-03-02", domain::Priority::low)}),
      append("assessment-a3", ExpectedVersion::no_stream(),
             {requested("a3", "p3", "north", "2024-03-04")}),
      append("assessment-a4", ExpectedVersion::no_stream(),
             {requested("a4", "p1", "north", "2024-03-06")}),
      append("assessment-a1", ExpectedVersion::exact(Version{1}),
             {then(domain::AssessmentAllocated{"Sam", day("2024-03-05")}, "p1", "north")}),
      append("assessment-a2", ExpectedVersion::exact(Version{1}),
             {then(domain::AssessmentCompleted{day("2024-04-01"), true, std::nullopt}, "p2",
                   "south")}),
      append("support-s1", ExpectedVersion::no_stream(), {then(support, "p1", "north")}),
      append("review-r1", ExpectedVersion::no_stream(), {then(review, "p1", "north")}),
      append("concern-c1", ExpectedVersion::no_stream(), {then(concern, "p3", "north")}),
  };
  for (const auto& request : appends) commit(request);
  const std::string alone = dump_read_models(*db);
  ASSERT_NE(alone.find("rm_waiting"), std::string::npos);
  ASSERT_NE(alone.find("rm_person_totals|p3|safeguarding"), std::string::npos);

  EmptyStore together_store(GetParam());
  {
    const auto writer = open_appender(together_store.url());
    for (const auto& result : writer->append_all(appends)) {
      ASSERT_TRUE(std::holds_alternative<Appended>(result));
    }
  }
  const auto together = open_writer(together_store.url());
  EXPECT_EQ(dump_read_models(*together), alone);
}

// Read models are generated from their declarations; a database whose read-model tables were
// made otherwise (an older release) has them made again and filled from the log on opening.
TEST_P(SqliteProjectionTest, OpeningADatabaseWithOlderReadModelsRebuildsThemFromTheLog) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01", domain::Priority::urgent)}));
  const std::string live = dump_read_models(*db);
  db->exec("DROP TABLE rm_assessments");
  db->exec("CREATE TABLE rm_assessments (id TEXT PRIMARY KEY, priority INTEGER)");  // as of old
  db->exec("UPDATE read_model_schema SET ddl = 'older'");
  db.reset();

  db = open_writer(store_->url());
  EXPECT_EQ(dump_read_models(*db), live);
  EXPECT_EQ(find(*db, domain::AssessmentId{"a1"})->priority, domain::Priority::urgent);
}

TEST_P(ProjectionTest, EveryReadModelTableIsDeclaredSoRebuildAndVerifySeeIt) {
  std::vector<std::string> declared;
  for (const auto& table : read_model_tables()) declared.push_back(table.name);
  Prepared q(*db, GetParam() == Engine::sqlite
                      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'rm_%'"
                      : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                        "'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'rm\\_%'");
  std::size_t tables = 0;
  while (q->executeStep()) {
    const std::string name = q->getColumn(0).getString();
    EXPECT_NE(std::find(declared.begin(), declared.end(), name), declared.end()) << name;
    ++tables;
  }
  EXPECT_EQ(declared.size(), tables);  // and each declared once
}

TEST_P(ProjectionTest, CodesAreStoredByTheirSpelling) {
  commit(append("person-p1", ExpectedVersion::no_stream(), {registered("p1", "north")}));
  commit(append("assessment-a1", ExpectedVersion::no_stream(),
                {requested("a1", "p1", "north", "2024-03-01", domain::Priority::urgent)}));
  EXPECT_EQ(db->execAndGet("SELECT priority FROM rm_assessments").getString(), "urgent");
}

// Every member of every kind of record is stored and read back: a member left out of its
// description would come back as its default here (states compare member by member).
class EveryMemberIsStoredTest : public ProjectionTest {
 protected:
  template <typename State>
  void expect_read_model_equals_the_stream(const typename domain::Record<State>::Id& id) {
    State folded{};
    const auto stream = read_stream(*db, domain::stream_name(id));
    for (const auto* record : standing_events(stream)) {
      folded = domain::evolve(std::move(folded), record->event);
    }
    folded.version = stream.back().version;
    const auto stored = find<State>(*db, id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_TRUE(*stored == folded) << domain::stream_name(id);
    checked_.insert(std::string(domain::Record<State>::stream_prefix));
  }
  // A kind added to domain::Records and not to this test fails it.
  void expect_every_kind_checked() const {
    domain::Records::for_each([this]<typename State>(std::type_identity<State>) {
      EXPECT_TRUE(checked_.contains(std::string(domain::Record<State>::stream_prefix)))
          << domain::Record<State>::stream_prefix << " records are not checked here";
    });
  }
  void record(const std::string& stream, std::vector<domain::Event> events) {
    std::vector<PendingEvent> pending;
    for (auto& e : events) pending.push_back(then(e, "p1", "north"));
    commit(append(stream, ExpectedVersion::no_stream(), std::move(pending)));
  }

 private:
  std::set<std::string> checked_;
};

INSTANTIATE_TEST_SUITE_P(BothEngines, EveryMemberIsStoredTest, both_engines, engine_test_name);

TEST_P(EveryMemberIsStoredTest, ForEveryKindOfRecordWithEveryMemberSet) {
  domain::PersonRegistered person;
  person.person_id = domain::PersonId{"p1"};
  person.given_name = "Ada";
  person.family_name = "Lovelace";
  person.date_of_birth = day("1950-05-05");
  person.team = domain::Team{"north"};
  person.nhs_number = "9434765919";
  person.client_type = domain::ClientType::carer;
  person.primary_support_reason = domain::SupportReason::mental_health;
  person.gender = domain::Gender::female;
  person.ethnicity = domain::Ethnicity::white_irish;
  person.has_unpaid_carer = domain::UnpaidCarer::yes;
  person.registered_on = day("2024-01-01");
  domain::PersonDetailsChanged changed;
  changed.effective_on = day("2024-02-01");
  changed.primary_support_reason = domain::SupportReason::physical_personal_care;
  changed.gender = domain::Gender::other;
  changed.ethnicity = domain::Ethnicity::not_known;
  changed.has_unpaid_carer = domain::UnpaidCarer::no;
  domain::PersonDetailsChanged later;
  later.effective_on = day("2024-03-01");
  later.gender = domain::Gender::unknown;
  record("person-p1", {person, changed, later, domain::PersonDied{day("2024-05-01")}});
  expect_read_model_equals_the_stream<domain::PersonState>(domain::PersonId{"p1"});

  record("assessment-a1",
         {domain::AssessmentRequested{domain::AssessmentId{"a1"}, domain::PersonId{"p1"},
                                      domain::Team{"north"}, domain::AssessmentKind::carer,
                                      day("2024-02-01"), domain::Priority::urgent,
                                      domain::RequestId{"q1"}},
          domain::AssessmentAllocated{"Sam", day("2024-02-03")},
          domain::AssessmentAllocated{"Kim", day("2024-02-04")},
          domain::AssessmentCompleted{day("2024-03-01"), true,
                                      domain::EventOutcome::progress_to_end_of_life_care},
          domain::AssessmentClosed{day("2024-03-02"), domain::ClosureReason::moved_away}});
  expect_read_model_equals_the_stream<domain::AssessmentState>(domain::AssessmentId{"a1"});

  record("support-s1",
         {domain::SupportStarted{domain::SupportEpisodeId{"s1"}, domain::PersonId{"p1"},
                                 domain::Team{"north"}, domain::SupportKind::short_term,
                                 domain::Setting::nursing, domain::Delivery::direct_payment,
                                 day("2024-02-01"), domain::ShortTermType::ongoing_low_level,
                                 domain::ServiceComponent::equipment},
          domain::SupportEnded{day("2024-03-01"), domain::Sequel::long_term_support,
                               domain::EventOutcome::nfa_self_funded}});
  expect_read_model_equals_the_stream<domain::SupportEpisodeState>(domain::SupportEpisodeId{"s1"});

  record("review-r1",
         {domain::ReviewRecorded{
             domain::ReviewId{"r1"}, domain::PersonId{"p1"}, domain::Team{"north"},
             day("2024-02-10"), false, domain::ReviewOutcome::support_changed,
             domain::ReviewReason::unplanned_carer, domain::OutcomesMet::partially_met}});
  expect_read_model_equals_the_stream<domain::ReviewState>(domain::ReviewId{"r1"});

  record("concern-c1",
         {domain::ConcernReceived{domain::ConcernId{"c1"},
                                  domain::PersonId{"p1"},
                                  domain::Team{"north"},
                                  day("2024-02-01"),
                                  domain::ConcernSource::police,
                                  {domain::AbuseType::financial, domain::AbuseType::neglect},
                                  domain::RiskLocation::care_home},
          domain::ConcernDecided{day("2024-02-02"), domain::ConcernOutcome::section_42_enquiry,
                                 domain::EnquiryId{"e1"}},
          domain::EnquiryConcluded{domain::EnquiryId{"e1"}, day("2024-03-01"),
                                   domain::RiskIdentified::yes, domain::RiskOutcome::reduced,
                                   domain::OutcomesAsked::expressed,
                                   domain::OutcomesAchieved::partially}});
  expect_read_model_equals_the_stream<domain::ConcernState>(domain::ConcernId{"c1"});

  const domain::AgreementId first{"dpa1"}, second{"dpa2"};
  record("placement-pl1",
         {domain::PlacementStarted{domain::PlacementId{"pl1"}, domain::PersonId{"p1"},
                                   domain::Team{"north"}, day("2024-01-01"), domain::Pence{80000},
                                   true},
          domain::AgreementOffered{first, day("2024-01-05")},
          domain::AgreementDeclined{first, day("2024-01-06")},
          domain::AgreementOffered{second, day("2024-01-07")},
          domain::AgreementSigned{second, day("2024-01-08"), domain::Pence{25000000},
                                  domain::Pence{100000}, domain::Pence{50000}, 275},
          domain::AgreementCharged{second, day("2024-01-08"), domain::Pence{30000}, "set-up"},
          domain::AgreementRepaid{second, day("2024-02-08"), domain::Pence{10000}},
          domain::AgreementTerminated{second, day("2024-03-01"),
                                      domain::TerminationReason::property_sold},
          domain::SelfFundingArranged{day("2024-03-02")}});
  expect_read_model_equals_the_stream<domain::PlacementState>(domain::PlacementId{"pl1"});

  record("request-q1",
         {domain::RequestReceived{domain::RequestId{"q1"}, domain::PersonId{"p1"},
                                  domain::Team{"north"}, day("2024-01-20"),
                                  domain::RouteOfAccess::discharge_from_hospital},
          domain::RequestDecided{day("2024-02-01"), domain::EventOutcome::progress_to_assessment,
                                 domain::AssessmentId{"a1"}}});
  expect_read_model_equals_the_stream<domain::RequestState>(domain::RequestId{"q1"});
  expect_every_kind_checked();
}

// Many records read at once (the deferred payments needing attention, a person's placements):
// each with its own parts, in the order asked, one not found left out.
TEST_P(EveryMemberIsStoredTest, FindAllReadsEachRecordWithItsOwnPartsInTheOrderAsked) {
  auto placement = [](const char* id, std::int64_t cost) {
    return domain::PlacementStarted{domain::PlacementId{id}, domain::PersonId{"p1"},
                                    domain::Team{"north"},   day("2024-01-01"),
                                    domain::Pence{cost},     true};
  };
  const domain::AgreementId a1{"dpa1"}, a2{"dpa2"}, a3{"dpa3"};
  record("placement-pl1",
         {placement("pl1", 80000), domain::AgreementOffered{a1, day("2024-01-05")},
          domain::AgreementSigned{a1, day("2024-01-08"), domain::Pence{25000000},
                                  domain::Pence{100000}, domain::Pence{50000}, 275},
          domain::AgreementCharged{a1, day("2024-01-08"), domain::Pence{30000}, "set-up"},
          domain::AgreementRepaid{a1, day("2024-02-08"), domain::Pence{10000}}});
  record("placement-pl2",
         {placement("pl2", 90000), domain::AgreementOffered{a2, day("2024-01-05")},
          domain::AgreementDeclined{a2, day("2024-01-06")},
          domain::AgreementOffered{a3, day("2024-01-07")},
          domain::AgreementSigned{a3, day("2024-01-09"), domain::Pence{30000000}, domain::Pence{0},
                                  domain::Pence{60000}, 300},
          domain::AgreementCharged{a3, day("2024-01-09"), domain::Pence{20000}, "legal"}});
  record("placement-pl3", {placement("pl3", 70000)});

  const std::vector<domain::PlacementId> asked{
      domain::PlacementId{"pl2"}, domain::PlacementId{"pl9"}, domain::PlacementId{"pl1"},
      domain::PlacementId{"pl3"}};
  const auto found = find_all<domain::PlacementState>(*db, asked);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].id, domain::PlacementId{"pl2"});
  EXPECT_EQ(found[1].id, domain::PlacementId{"pl1"});
  EXPECT_EQ(found[2].id, domain::PlacementId{"pl3"});
  for (const auto& each : found) {
    EXPECT_TRUE(each == *find(*db, each.id)) << each.id.str();
  }
  EXPECT_EQ(found[0].agreements.size(), 2u);
  ASSERT_EQ(found[1].agreements.size(), 1u);
  EXPECT_EQ(found[1].agreements[0].movements.size(), 2u);
  EXPECT_TRUE(found[2].agreements.empty());
  EXPECT_TRUE(find_all<domain::PlacementState>(*db, {}).empty());
  // One id is read through its key alone; an id asked twice is found once.
  const auto one = find_all<domain::PlacementState>(*db, {domain::PlacementId{"pl1"}});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0] == found[1]);
  const auto twice = find_all<domain::PlacementState>(
      *db, {domain::PlacementId{"pl2"}, domain::PlacementId{"pl2"}});
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_TRUE(twice[0] == found[0]);
}

}  // namespace
}  // namespace careledger::persistence
