#include "domain/person.hpp"

#include <gtest/gtest.h>

namespace careledger::domain {
namespace {

const Date today = parse_date("2024-06-30").value();

RegisterPerson a_person() {
  RegisterPerson c;
  c.person_id = PersonId{"per_1"};
  c.given_name = "Ada";
  c.family_name = "Lovelace";
  c.date_of_birth = parse_date("1950-12-10").value();
  c.team = Team{"north"};
  c.nhs_number = "9434765919";
  return c;
}

std::vector<std::string> fields_refused(const Decision& decision) {
  std::vector<std::string> fields;
  for (const auto& e : std::get<Rejection>(decision).errors) fields.push_back(e.field);
  return fields;
}

TEST(Person, RegisteringRecordsOneEventDatedToday) {
  auto decision = decide(PersonState{}, a_person(), today);
  auto& events = std::get<std::vector<Event>>(decision);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(occurred_on(events[0]), today);
  auto state = evolve(PersonState{}, events[0]);
  EXPECT_TRUE(state.exists);
  EXPECT_EQ(state.family_name, "Lovelace");
  EXPECT_EQ(state.version, Version{1});
}

TEST(Person, ADateOfBirthInTheFutureIsRefused) {
  auto command = a_person();
  command.date_of_birth = today + date::days{1};
  EXPECT_EQ(fields_refused(decide(PersonState{}, command, today)),
            std::vector<std::string>{"date_of_birth"});
}

TEST(Person, ADateOfBirthBefore1900IsRefusedAndThatDayTaken) {
  auto command = a_person();
  command.date_of_birth = parse_date("0000-01-01").value();
  EXPECT_EQ(fields_refused(decide(PersonState{}, command, today)),
            std::vector<std::string>{"date_of_birth"});
  command.date_of_birth = parse_date("1899-12-31").value();
  EXPECT_EQ(fields_refused(decide(PersonState{}, command, today)),
            std::vector<std::string>{"date_of_birth"});
  command.date_of_birth = parse_date("1900-01-01").value();
  EXPECT_TRUE(std::holds_alternative<std::vector<Event>>(decide(PersonState{}, command, today)));
}

TEST(Person, AnNhsNumberFailingModulus11IsRefused) {
  auto command = a_person();
  command.nhs_number = "9434765918";
  EXPECT_EQ(fields_refused(decide(PersonState{}, command, today)),
            std::vector<std::string>{"nhs_number"});
}

TEST(Person, EveryBrokenFieldIsNamedAtOnce) {
  auto command = a_person();
  command.given_name.clear();
  command.family_name.clear();
  EXPECT_EQ(fields_refused(decide(PersonState{}, command, today)),
            (std::vector<std::string>{"given_name", "family_name"}));
}

TEST(Person, RegisteringTwiceIsAConflict) {
  auto events = std::get<std::vector<Event>>(decide(PersonState{}, a_person(), today));
  auto state = evolve(PersonState{}, events[0]);
  EXPECT_EQ(std::get<Rejection>(decide(state, a_person(), today)).kind, Rejection::Kind::conflict);
}

PersonState registered_with_changes() {
  PersonState person = evolve(
      PersonState{}, std::get<std::vector<Event>>(decide(PersonState{}, a_person(), today))[0]);
  PersonDetailsChanged later;
  later.effective_on = parse_date("2024-05-01").value();
  later.gender = Gender::male;
  PersonDetailsChanged earlier;  // recorded second, in force first
  earlier.effective_on = parse_date("2024-03-01").value();
  earlier.gender = Gender::female;
  earlier.ethnicity = Ethnicity::arab;
  return evolve(evolve(std::move(person), later), earlier);
}

TEST(Person, TheDetailsOnADayAreThoseRegisteredThenEachChangeInForceByThen) {
  const PersonState person = registered_with_changes();
  const auto before = details_on(person, parse_date("2024-02-29").value());
  EXPECT_FALSE(before.gender.has_value());
  EXPECT_FALSE(before.ethnicity.has_value());
  const auto on_first = details_on(person, parse_date("2024-03-01").value());
  EXPECT_EQ(on_first.gender, Gender::female);
  EXPECT_EQ(on_first.ethnicity, Ethnicity::arab);
  const auto now = details_on(person);
  EXPECT_EQ(now.gender, Gender::male);
  EXPECT_EQ(now.ethnicity, Ethnicity::arab);  // not named by the later change: kept
  EXPECT_EQ(now.given_name, "Ada");
}

TEST(Person, ADeathIsRecordedOnce) {
  PersonState person = registered_with_changes();
  const auto died = decide(person, RecordDeath{parse_date("2024-06-01").value()}, today);
  person = evolve(std::move(person), std::get<std::vector<Event>>(died).at(0));
  EXPECT_EQ(person.date_of_death, parse_date("2024-06-01").value());
  const auto again = decide(person, RecordDeath{parse_date("2024-06-02").value()}, today);
  EXPECT_EQ(std::get<Rejection>(again).kind, Rejection::Kind::conflict);
}

}  // namespace
}  // namespace careledger::domain
