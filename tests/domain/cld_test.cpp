#include "domain/cld.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace careledger::domain::cld {
namespace {

Date iso(const char* text) {
  return careledger::domain::parse_date(text).value();
}

// Every code of a list writes its CLD text, which reads back as the code; `except` are the codes
// that share another's text and read back as it.
template <typename E>
void round_trips(std::vector<E> except = {}) {
  for (const auto& [code, spelled] : CldText<E>::entries) {
    EXPECT_EQ(text(code), spelled);
    bool shared = false;
    for (E e : except) shared = shared || e == code;
    if (shared) continue;
    EXPECT_EQ(parse<E>(spelled), code) << spelled;
  }
}

TEST(CldText, EveryCodeWritesItsTextAndReadsBack) {
  round_trips<EventType>();
  round_trips<ClientType>();
  round_trips<Gender>();
  round_trips<Ethnicity>();
  round_trips<UnpaidCarer>();
  round_trips<SupportReason>({SupportReason::physical_support, SupportReason::sensory_support,
                              SupportReason::social_support});
  round_trips<RouteOfAccess>();
  round_trips<ReviewReason>();
  round_trips<OutcomesMet>();
  round_trips<EventOutcome>();
  round_trips<ServiceType>();
  round_trips<ServiceComponent>();
  round_trips<Delivery>({Delivery::individual_service_fund});
}

TEST(CldText, ListsAreCompleteAndTheirTextsDistinct) {
  EXPECT_EQ(CldText<EventOutcome>::entries.size(), 19u);
  EXPECT_EQ(CldText<Ethnicity>::entries.size(), 21u);
  EXPECT_EQ(CldText<ServiceComponent>::entries.size(), 12u);
  std::vector<std::string> keys;
  for (const auto& [code, spelled] : CldText<EventOutcome>::entries) {
    const auto key = match_key(spelled);
    for (const auto& k : keys) EXPECT_NE(k, key) << spelled;
    keys.push_back(key);
  }
}

TEST(CldText, SpellsTheCodesAsTheListDoes) {
  EXPECT_EQ(text(Gender::female), "Female");
  EXPECT_EQ(text(Ethnicity::white_british),
            "White - English, Welsh, Scottish, Northern Irish or British");
  EXPECT_EQ(text(Ethnicity::refused), "No data - Refused");
  EXPECT_EQ(text(Ethnicity::not_known), "No data - Undeclared or Not known");
  EXPECT_EQ(text(UnpaidCarer::unknown), "Unknown");
  EXPECT_EQ(text(SupportReason::physical_personal_care), "Physical Support: Personal care support");
  EXPECT_EQ(text(SupportReason::social_support_to_carer), "Social Support: Support to Carer");
  EXPECT_EQ(text(RouteOfAccess::community_other), "Community / Other route");
  EXPECT_EQ(text(ReviewReason::unplanned_other), "Unplanned - Other Reason");
  EXPECT_EQ(review_reason_planned, "Planned");
  EXPECT_EQ(text(OutcomesMet::partially_met), "Partially Met");
  EXPECT_EQ(text(EventOutcome::progress_to_reablement), "Progress to Reablement/ST-Max");
  EXPECT_EQ(text(EventOutcome::nfa_self_funded), "NFA - Self-funded client (inc. 12wk disregard)");
  EXPECT_EQ(text(ServiceComponent::extra_care_housing), "Extra care housing");
  EXPECT_EQ(text(ClientType::service_user), "Service User");
  EXPECT_EQ(text(ClientType::carer), "Carer");
  EXPECT_EQ(client_type_carer_by_association, "Carer known by association");
  EXPECT_EQ(text(EventType::assessment), "Assessment");
  EXPECT_EQ(assessment_type_long_term, "Long Term Assessment");
  EXPECT_EQ(derived_request_description, "Derived from assessment request");
  EXPECT_EQ(yes_no(true), "Yes");
  EXPECT_EQ(parse_yes_no(" no "), false);
  EXPECT_EQ(parse_yes_no("Y"), std::nullopt);
}

TEST(CldText, NfaOtherHasNoSpaceBeforeItsDashAndReadsEitherWay) {
  EXPECT_EQ(text(EventOutcome::nfa_other), "NFA- Other");
  EXPECT_EQ(parse<EventOutcome>("NFA - Other"), EventOutcome::nfa_other);
  EXPECT_EQ(parse<EventOutcome>("NFA-Other"), EventOutcome::nfa_other);
  EXPECT_EQ(parse<EventOutcome>("nfa \xE2\x80\x93 other"), EventOutcome::nfa_other);
}

TEST(CldText, CoarseSupportReasonsExportAsUnknown) {
  EXPECT_EQ(text(SupportReason::physical_support), "Unknown");
  EXPECT_EQ(text(SupportReason::sensory_support), "Unknown");
  EXPECT_EQ(text(SupportReason::social_support), "Unknown");
  EXPECT_EQ(parse<SupportReason>("Unknown"), SupportReason::unknown);
  EXPECT_TRUE(coarse(SupportReason::social_support));
  EXPECT_FALSE(coarse(SupportReason::unknown));
  EXPECT_FALSE(coarse(SupportReason::mental_health));
}

TEST(CldText, DeliveryHasNoIndividualServiceFund) {
  EXPECT_EQ(text(Delivery::direct_payment), "Direct Payment");
  EXPECT_EQ(text(Delivery::individual_service_fund), "CASSR Managed Personal Budget");
  EXPECT_EQ(text(Delivery::council_arranged), "CASSR Commissioned Support");
  EXPECT_EQ(parse<Delivery>("CASSR Managed Personal Budget"), Delivery::managed_personal_budget);
  // ASCOF 3D, LTS003.
  EXPECT_EQ(parse<Delivery>("CASSR Commissioned support"), Delivery::council_arranged);
}

TEST(CldMatch, IgnoresCaseSpacingAndTheKindOfDash) {
  EXPECT_EQ(parse<Gender>("  fEmAlE "), Gender::female);
  EXPECT_EQ(parse<RouteOfAccess>("discharge   from\thospital"),
            RouteOfAccess::discharge_from_hospital);
  EXPECT_EQ(parse<RouteOfAccess>("self - funder"), RouteOfAccess::self_funder);
  EXPECT_EQ(parse<RouteOfAccess>("Community/Other route"), RouteOfAccess::community_other);
  EXPECT_EQ(parse<ServiceType>("Short Term Support: ST\xE2\x80\x94Max"),  // em dash
            ServiceType::short_term_st_max);
  EXPECT_EQ(parse<ReviewReason>("Unplanned \xE2\x88\x92 Carer related"),  // minus sign
            ReviewReason::unplanned_carer);
  EXPECT_EQ(parse<ReviewReason>("UNPLANNED-SAFEGUARDING CONCERN"),
            ReviewReason::unplanned_safeguarding);
  EXPECT_EQ(parse<EventOutcome>("Progress to Reablement / ST-Max"),
            EventOutcome::progress_to_reablement);
  EXPECT_EQ(parse<OutcomesMet>("Fully\xC2\xA0Met"), OutcomesMet::fully_met);  // no-break space
}

TEST(CldMatch, RefusesWhatIsNotOnTheList) {
  EXPECT_EQ(parse<Gender>(""), std::nullopt);
  EXPECT_EQ(parse<Gender>("M"), std::nullopt);
  EXPECT_EQ(parse<Gender>("Ma le"), std::nullopt);
  EXPECT_EQ(parse<EventOutcome>("NFA"), std::nullopt);
  EXPECT_EQ(parse<ReviewReason>("Planned"), std::nullopt);
  EXPECT_TRUE(matches(" planned", review_reason_planned));
  EXPECT_EQ(parse<ClientType>("Carer known by association"), std::nullopt);
  EXPECT_TRUE(matches("carer known by  association", client_type_carer_by_association));
}

TEST(CldMatch, AcceptsNhsEnglandsVariantSpellings) {
  EXPECT_EQ(parse<EventOutcome>("NFA - 100% NHS-funded care"), EventOutcome::nfa_nhs_funded);
  EXPECT_EQ(parse<EventOutcome>("NFA - 100% NHS funded care"), EventOutcome::nfa_nhs_funded);
  EXPECT_EQ(parse<EventOutcome>("NFA - Self-funded client (Inc. 12wk disregard)"),
            EventOutcome::nfa_self_funded);
  EXPECT_EQ(parse<EventOutcome>("NFA - Self-funded client (inc 12wk disregard)"),
            EventOutcome::nfa_self_funded);
  EXPECT_EQ(parse<EventOutcome>("NFA - Support ended \xE2\x80\x93 other reason"),
            EventOutcome::nfa_support_ended_other);
  EXPECT_EQ(parse<EventOutcome>("NFA - No services offered - other reason"),
            EventOutcome::nfa_no_services_other);
  EXPECT_EQ(parse<EventOutcome>("Admitted to Hospital"), EventOutcome::admitted_to_hospital);
  EXPECT_EQ(parse<EventOutcome>("Service Ended As Planned"),
            EventOutcome::service_ended_as_planned);
}

TEST(CldMatch, TakesAnEthnicityItemAloneWhenUnambiguous) {
  EXPECT_EQ(parse<Ethnicity>("Irish"), Ethnicity::white_irish);
  EXPECT_EQ(parse<Ethnicity>("caribbean"), Ethnicity::black_caribbean);
  EXPECT_EQ(parse<Ethnicity>("White and Black Caribbean"), Ethnicity::mixed_white_black_caribbean);
  EXPECT_EQ(parse<Ethnicity>("Undeclared or Not known"), Ethnicity::not_known);
  EXPECT_EQ(parse<Ethnicity>("White"), std::nullopt);  // a group, not an item
  EXPECT_EQ(parse<Ethnicity>("White \xE2\x80\x93 Roma"), Ethnicity::white_roma);
  // Every item of the list is unambiguous today.
  for (const auto& [code, spelled] : CldText<Ethnicity>::entries) {
    const auto item = spelled.substr(spelled.find(" - ") + 3);
    EXPECT_EQ(parse<Ethnicity>(item), code) << item;
  }
}

TEST(CldServiceType, FollowsKindSettingAndShortTermType) {
  using enum SupportKind;
  EXPECT_EQ(service_type(long_term, Setting::community, std::nullopt),
            "Long Term Support: Community");
  EXPECT_EQ(service_type(long_term, Setting::residential, std::nullopt),
            "Long Term Support: Residential Care");
  EXPECT_EQ(service_type(long_term, Setting::nursing, ShortTermType::st_max),
            "Long Term Support: Nursing Care");
  EXPECT_EQ(service_type(short_term, Setting::community, std::nullopt),
            "Short Term Support: ST-Max");
  EXPECT_EQ(service_type(short_term, Setting::residential, ShortTermType::ongoing_low_level),
            "Short Term Support: Ongoing Low Level");
  EXPECT_EQ(service_type(short_term, Setting::community, ShortTermType::other_short_term),
            "Short Term Support: Other Short Term");
  EXPECT_EQ(service_type_prison, "Long Term Support: Prison");
  EXPECT_EQ(service_type_carer_direct, "Carer Support: Direct to Carer");
  EXPECT_EQ(service_type_carer_cared_for, "Carer Support: Support involving the person cared-for");
  EXPECT_EQ(parse<ServiceType>(service_type_prison), ServiceType::long_term_prison);
  EXPECT_TRUE(import_only(ServiceType::carer_direct));
  EXPECT_FALSE(import_only(ServiceType::short_term_other));
}

TEST(CldServiceType, ReadsBackToTheEpisode) {
  for (const auto& [type, spelled] : CldText<ServiceType>::entries) {
    const auto kind = support_kind(type);
    if (import_only(type)) {
      EXPECT_FALSE(kind) << spelled;
      continue;
    }
    ASSERT_TRUE(kind) << spelled;
    const Setting setting = long_term_setting(type).value_or(Setting::community);
    EXPECT_EQ(service_type_of(*kind, setting, short_term_type(type)), type) << spelled;
  }
}

TEST(CldServiceComponent, DefaultsAsCldMdSays) {
  using enum SupportKind;
  using enum Delivery;
  EXPECT_EQ(default_component(short_term, Setting::community, council_arranged, std::nullopt),
            ServiceComponent::reablement);
  EXPECT_EQ(
      default_component(short_term, Setting::residential, direct_payment, ShortTermType::st_max),
      ServiceComponent::reablement);
  EXPECT_EQ(default_component(short_term, Setting::community, direct_payment,
                              ShortTermType::ongoing_low_level),
            std::nullopt);
  EXPECT_EQ(default_component(short_term, Setting::residential, council_arranged,
                              ShortTermType::other_short_term),
            std::nullopt);
  EXPECT_EQ(default_component(long_term, Setting::residential, direct_payment, std::nullopt),
            ServiceComponent::long_term_residential);
  EXPECT_EQ(default_component(long_term, Setting::nursing, council_arranged, std::nullopt),
            ServiceComponent::long_term_nursing);
  EXPECT_EQ(default_component(long_term, Setting::community, direct_payment, std::nullopt),
            ServiceComponent::direct_payment);
  EXPECT_EQ(default_component(long_term, Setting::community, council_arranged, std::nullopt),
            std::nullopt);
  EXPECT_EQ(default_component(long_term, Setting::community, individual_service_fund, std::nullopt),
            std::nullopt);
}

TEST(CldHeader, IsSectionTwosLine) {
  // Copied from CLD.md §2.
  const std::string expected =
      "LA_Code,Reporting_Period_Start_Date,Reporting_Period_End_Date,NHS_Number,LA_Person_Unique_"
      "Identifier,GP_Practice_Code,GP_Practice_Name,Gender,Ethnicity,Date_of_Birth,Date_of_Death,"
      "Client_Type,Primary_Support_Reason,Postcode,Accommodation_Status,Employment_Status,Has_"
      "Unpaid_Carer,Autism_Spectrum_Disorder_ASD,Visual_Impairment,Hearing_Impairment,Dementia,"
      "Client_Funding_Status,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,Event_"
      "Description,Event_Outcome,Request_Route_of_Access,Assessment_Type,Eligible_Needs_"
      "Identified,Method_of_Assessment,Total_Hrs_Caring_per_week,No_of_adults_being_cared_for,"
      "Adult_1_Linked_Person_ID,Adult_2_Linked_Person_ID,Adult_3_Linked_Person_ID,Service_Type,"
      "Service_Component,Delivery_Mechanism,Provider_CQC_Location_ID,Provider_CQC_Location_Name,"
      "Review_Reason,Review_Outcomes_Achieved,Method_of_Review,Unit_Cost,Cost_Frequency_Unit_Type,"
      "Planned_units_per_week";
  EXPECT_EQ(header.size(), 48u);
  std::string out;
  append_header(out);
  EXPECT_EQ(out, expected + "\r\n");
}

TEST(CldHeader, KeysMatchTheSpecsWordsAndTheTablesNames) {
  EXPECT_EQ(header_key("Request: Route of Access"), "request_route_of_access");
  EXPECT_EQ(header_key("Request_Route_of_Access"), "request_route_of_access");
  EXPECT_EQ(header_key("  REQUEST -- route_of  access. "), "request_route_of_access");
  EXPECT_EQ(header_key("\xEF\xBB\xBFLA_Code"), "la_code");  // a byte-order mark
  EXPECT_EQ(header_key(""), "");
  EXPECT_EQ(column_of("Request: Route of Access"), 28u);
  EXPECT_EQ(column_of("la code"), 0u);
  EXPECT_EQ(column_of("Planned units per week"), 47u);
  EXPECT_EQ(column_of("Event Outcome "), 27u);
  EXPECT_EQ(column_of("Outcome"), std::nullopt);
  for (std::size_t i = 0; i < header.size(); ++i) EXPECT_EQ(column_of(header[i]), i);
}

TEST(CldDate, WritesDayMonthYear) {
  EXPECT_EQ(format_date(iso("2024-10-01")), "01/10/2024");
  EXPECT_EQ(format_date(iso("1948-06-14")), "14/06/1948");
  EXPECT_EQ(format_date(iso("0999-12-31")), "31/12/0999");
}

TEST(CldDate, ReadsBothFormsOfRealDaysOnly) {
  EXPECT_EQ(parse_date("29/02/2024"), iso("2024-02-29"));
  EXPECT_EQ(parse_date("2024-02-29"), iso("2024-02-29"));
  EXPECT_EQ(parse_date(" 14/06/1948 "), iso("1948-06-14"));
  EXPECT_EQ(parse_date("31/02/2024"), std::nullopt);
  EXPECT_EQ(parse_date("29/02/2023"), std::nullopt);
  EXPECT_EQ(parse_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("00/01/2024"), std::nullopt);
  EXPECT_EQ(parse_date("01/13/2024"), std::nullopt);
  // The spec's dd/mm/yyyy exactly: without leading zeros is another format, refused.
  EXPECT_EQ(parse_date("1/2/2024"), std::nullopt);
  EXPECT_EQ(parse_date("01/02/24"), std::nullopt);
  EXPECT_EQ(parse_date("01-02-2024"), std::nullopt);
  EXPECT_EQ(parse_date("01/02/2024 00:00"), std::nullopt);
  EXPECT_EQ(parse_date("+1/02/2024"), std::nullopt);
  EXPECT_EQ(parse_date(""), std::nullopt);
}

TEST(CldCsv, QuotesOnlyWhatMustBe) {
  std::string line;
  append_field(line, "plain text - with / dashes");
  EXPECT_EQ(line, "plain text - with / dashes");
  line.clear();
  append_field(line, "White - English, Welsh");
  EXPECT_EQ(line, "\"White - English, Welsh\"");
  line.clear();
  append_field(line, "say \"hi\"");
  EXPECT_EQ(line, "\"say \"\"hi\"\"\"");
  line.clear();
  append_field(line, "a\r\nb");
  EXPECT_EQ(line, "\"a\r\nb\"");
  line.clear();
  append_field(line, "a\nb");
  EXPECT_EQ(line, "\"a\nb\"");
  line.clear();
  append_field(line, "");
  EXPECT_EQ(line, "");
}

TEST(CldCsv, RowsHave48FieldsAndEndInCrlf) {
  std::array<std::string, field_count> fields;
  fields[0] = "999";
  fields[8] = "White - English, Welsh, Scottish, Northern Irish or British";
  std::string out;
  append_row(out, fields);
  EXPECT_EQ(out.substr(out.size() - 2), "\r\n");
  EXPECT_EQ(out.rfind("\r\n"), out.size() - 2);
  EXPECT_EQ(out, "999,,,,,,,,\"White - English, Welsh, Scottish, Northern Irish or British\"" +
                     std::string(39, ',') + "\r\n");
}

struct Read {
  std::vector<CsvRecord> records;
  std::optional<CsvError> error;
};

// Feeds `chunks` one at a time, reading every record after each, then finishes.
Read read_chunks(const std::vector<std::string>& chunks, std::size_t limit = 1 << 20) {
  CsvReader reader(limit);
  Read out;
  CsvRecord record;
  auto drain = [&] {
    for (;;) {
      switch (reader.next(record)) {
        case CsvReader::Status::record:
          out.records.push_back(record);
          continue;
        case CsvReader::Status::error:
          out.error = reader.error();
          return false;
        case CsvReader::Status::need_more:
        case CsvReader::Status::end:
          return true;
      }
    }
  };
  for (const auto& chunk : chunks) {
    reader.feed(chunk);
    if (!drain()) return out;
  }
  reader.finish();
  drain();
  if (!out.error) {
    EXPECT_EQ(reader.next(record), CsvReader::Status::end);
  }
  return out;
}

// Every way of cutting `text` in two, and byte by byte, reads as the whole does.
Read read_every_way(const std::string& text) {
  const Read whole = read_chunks({text});
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    const Read two = read_chunks({text.substr(0, cut), text.substr(cut)});
    EXPECT_EQ(two.records.size(), whole.records.size()) << "cut at " << cut;
    for (std::size_t i = 0; i < whole.records.size() && i < two.records.size(); ++i) {
      EXPECT_EQ(two.records[i].fields, whole.records[i].fields) << "cut at " << cut;
      EXPECT_EQ(two.records[i].line, whole.records[i].line) << "cut at " << cut;
    }
    EXPECT_EQ(two.error.has_value(), whole.error.has_value()) << "cut at " << cut;
  }
  std::vector<std::string> bytes;
  for (char c : text) bytes.emplace_back(1, c);
  const Read single = read_chunks(bytes);
  EXPECT_EQ(single.records.size(), whole.records.size());
  if (whole.error && single.error) {
    EXPECT_EQ(single.error->line, whole.error->line);
  }
  return whole;
}

using Fields = std::vector<std::string>;

TEST(CldCsvReader, ReadsQuotedCommasQuotesAndLineBreaks) {
  const std::string text =
      "a,b,c\r\n"
      "\"x, y\",\"say \"\"hi\"\"\",\r\n"
      "\"two\r\nlines\",\"\",last\r\n"
      "\"three\nlines\nLF\",z\n"
      "end,,";
  const Read read = read_every_way(text);
  ASSERT_FALSE(read.error);
  ASSERT_EQ(read.records.size(), 5u);
  EXPECT_EQ(read.records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(read.records[0].line, 1u);
  EXPECT_EQ(read.records[1].fields, (Fields{"x, y", "say \"hi\"", ""}));
  EXPECT_EQ(read.records[1].line, 2u);
  EXPECT_EQ(read.records[2].fields, (Fields{"two\r\nlines", "", "last"}));
  EXPECT_EQ(read.records[2].line, 3u);
  EXPECT_EQ(read.records[3].fields, (Fields{"three\nlines\nLF", "z"}));
  EXPECT_EQ(read.records[3].line, 5u);
  EXPECT_EQ(read.records[4].fields, (Fields{"end", "", ""}));
  EXPECT_EQ(read.records[4].line, 8u);
}

TEST(CldCsvReader, SkipsEmptyLinesButCountsThem) {
  const Read read = read_every_way("\r\na\r\n\r\n\nb\r\n\r\n");
  ASSERT_FALSE(read.error);
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].line, 2u);
  EXPECT_EQ(read.records[1].line, 5u);
  EXPECT_EQ(read.records[1].fields, (Fields{"b"}));
}

TEST(CldCsvReader, AnEmptyQuotedFieldIsARecord) {
  const Read read = read_every_way("\"\"\r\n");
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].fields, (Fields{""}));
}

TEST(CldCsvReader, AnEmptyFileHasNoRecords) {
  const Read read = read_chunks({});
  EXPECT_FALSE(read.error);
  EXPECT_TRUE(read.records.empty());
}

TEST(CldCsvReader, AStrayQuoteIsAnErrorOnItsLine) {
  const Read read = read_every_way("a,b\r\nc,d\"e\r\nf\r\n");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->line, 2u);
  EXPECT_EQ(read.records.size(), 1u);
}

TEST(CldCsvReader, TextAfterAClosingQuoteIsAnError) {
  const Read read = read_every_way("a\r\n\"multi\nline\"x,b\r\n");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->line, 3u);
}

TEST(CldCsvReader, AnUnterminatedQuoteIsAnErrorWhereItOpens) {
  const Read read = read_every_way("a\r\nb\r\nc,\"open\r\nstill\r\nopen");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->line, 3u);
  EXPECT_EQ(read.records.size(), 2u);
}

TEST(CldCsvReader, ABareCarriageReturnIsAnError) {
  const Read read = read_every_way("a\rb\r\n");
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->line, 1u);
}

TEST(CldCsvReader, ALastCarriageReturnEndsTheRecord) {
  const Read read = read_every_way("a,b\r");
  ASSERT_FALSE(read.error);
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].fields, (Fields{"a", "b"}));
}

TEST(CldCsvReader, RefusesARecordLongerThanItsLimit) {
  Read read =
      read_chunks({"ok,1\r\n\"" + std::string(100, 'x') + "\r\n" + std::string(100, 'y')}, 64);
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->line, 2u);
  EXPECT_EQ(read.records.size(), 1u);
  read = read_chunks({"ok,1\r\n" + std::string(100, ','), "\r\n"}, 64);
  ASSERT_TRUE(read.error);
  EXPECT_EQ(read.error->line, 2u);
  // The limit counts the line end.
  read = read_chunks({std::string(62, 'z') + "\r\n"}, 64);
  EXPECT_FALSE(read.error);
  read = read_chunks({std::string(63, 'z') + "\r\n"}, 64);
  EXPECT_TRUE(read.error);
}

TEST(CldCsvReader, ReadsItsOwnRows) {
  std::string file;
  append_header(file);
  std::array<std::string, field_count> row;
  row[0] = "999";
  row[8] = std::string(text(Ethnicity::white_british));
  row[26] = "note, with \"quotes\"\r\nand a line";
  append_row(file, row);
  append_row(file, row);
  const Read read = read_chunks({file});
  ASSERT_FALSE(read.error);
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[0].fields, Fields(header.begin(), header.end()));
  EXPECT_EQ(read.records[1].fields, Fields(row.begin(), row.end()));
  EXPECT_EQ(read.records[2].line, 4u);
}

TEST(CldPeriod, ParsesFinancialQuarters) {
  EXPECT_EQ(parse_quarter("2024-25-Q1"), (Period{iso("2024-04-01"), iso("2024-06-30")}));
  EXPECT_EQ(parse_quarter("2024-25-Q2"), (Period{iso("2024-07-01"), iso("2024-09-30")}));
  EXPECT_EQ(parse_quarter("2024-25-Q3"), (Period{iso("2024-10-01"), iso("2024-12-31")}));
  EXPECT_EQ(parse_quarter("2024-25-Q4"), (Period{iso("2025-01-01"), iso("2025-03-31")}));
  EXPECT_EQ(parse_quarter("2099-00-Q4"), (Period{iso("2100-01-01"), iso("2100-03-31")}));
  EXPECT_EQ(parse_quarter("2024-26-Q1"), std::nullopt);
  EXPECT_EQ(parse_quarter("2024-25-Q5"), std::nullopt);
  EXPECT_EQ(parse_quarter("2024-25-Q0"), std::nullopt);
  EXPECT_EQ(parse_quarter("2024-25-q1"), std::nullopt);
  EXPECT_EQ(parse_quarter("2024-25"), std::nullopt);
  EXPECT_EQ(parse_quarter("2024/25-Q1"), std::nullopt);
}

TEST(CldPeriod, SpansEndAtTheQuartersEnd) {
  const Period q3 = parse_quarter("2024-25-Q3").value();
  EXPECT_EQ(span_of(q3, Span::rolling_12_months), (Period{iso("2024-01-01"), iso("2024-12-31")}));
  EXPECT_EQ(span_of(q3, Span::year_to_date), (Period{iso("2024-04-01"), iso("2024-12-31")}));
  EXPECT_EQ(span_of(q3, Span::quarter), q3);
  // Q4 lies in the second calendar year; its year to date began in the first.
  const Period q4 = parse_quarter("2024-25-Q4").value();
  EXPECT_EQ(span_of(q4, Span::rolling_12_months), (Period{iso("2024-04-01"), iso("2025-03-31")}));
  EXPECT_EQ(span_of(q4, Span::year_to_date), (Period{iso("2024-04-01"), iso("2025-03-31")}));
  const Period q1 = parse_quarter("2023-24-Q1").value();
  EXPECT_EQ(span_of(q1, Span::rolling_12_months), (Period{iso("2022-07-01"), iso("2023-06-30")}));
  EXPECT_EQ(span_of(q1, Span::year_to_date), q1);
  EXPECT_EQ(parse_code<Span>("rolling_12_months"), Span::rolling_12_months);
  EXPECT_EQ(code_list<Span>(), "rolling_12_months, year_to_date, quarter");
}

TEST(CldPeriod, NamesTheFile) {
  EXPECT_EQ(file_name("503", parse_quarter("2024-25-Q3").value()), "CLD_503_20241001_20241231.csv");
}

}  // namespace
}  // namespace careledger::domain::cld
