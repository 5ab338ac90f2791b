// API.md "Care home placements and deferred payments".
#include <map>

#include "tests/api/api_fixture.hpp"

namespace careledger::testing {
namespace {

class CareHomesTest : public ApiTest {
 protected:
  domain::Configuration configuration() const override {
    domain::Configuration config;
    config.maximum_interest_rates = {{domain::parse_date("2023-07-01").value(), 275},
                                     {domain::parse_date("2024-01-01").value(), 305}};
    return config;
  }
  std::string placement(const std::string& person, const std::string& started_on,
                        bool disregard = true) {
    auto r = post(north, "/v1/care-home-placements",
                  R"({"person_id":")" + person + R"(","started_on":")" + started_on +
                      R"(","weekly_cost_pence":80000,"property_disregard":)" +
                      (disregard ? "true" : "false") + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  std::string offer(const std::string& placement, const std::string& on) {
    auto r = post(north, "/v1/deferred-payments",
                  R"({"placement_id":")" + placement + R"(","offered_on":")" + on + R"("})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }
  HttpResponse sign(const std::string& agreement, const std::string& on, int rate,
                    const std::string& property = "25000000") {
    return post(north, "/v1/deferred-payments/" + agreement + "/signature",
                R"({"signed_on":")" + on + R"(","property_value_pence":)" + property +
                    R"(,"prior_charges_pence":100000,"weekly_deferred_pence":50000,
                        "interest_rate_basis_points":)" +
                    std::to_string(rate) + "}");
  }
};

TEST_F(CareHomesTest, APlacementShowsWhenItsDisregardEnds) {
  const auto person = create_person();
  auto r = post(north, "/v1/care-home-placements",
                R"({"person_id":")" + person +
                    R"(","started_on":"2024-01-01","weekly_cost_pence":80000,
                        "property_disregard":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("disregard_ends_on"), "2024-03-25");
  EXPECT_EQ(r.json().at("team"), "north");
  auto none = post(north, "/v1/care-home-placements",
                   R"({"person_id":")" + person +
                       R"(","started_on":"2024-01-01","weekly_cost_pence":80000,
                           "property_disregard":false})");
  EXPECT_TRUE(none.json().at("disregard_ends_on").is_null());
}

TEST_F(CareHomesTest, AmountsAreWholePositivePenceAndBadInputRecordsNothing) {
  const auto person = create_person();
  const auto events = event_count();
  auto r = post(north, "/v1/care-home-placements",
                R"({"person_id":")" + person +
                    R"(","started_on":"2024-01-01","weekly_cost_pence":800.5,
                        "property_disregard":"yes"})");
  EXPECT_EQ(error_fields(r), (std::vector<std::string>{"weekly_cost_pence", "property_disregard"}));
  EXPECT_EQ(error_fields(post(north, "/v1/care-home-placements",
                              R"({"person_id":")" + person +
                                  R"(","started_on":"2024-01-01","weekly_cost_pence":0,
                                      "property_disregard":true})")),
            std::vector<std::string>{"weekly_cost_pence"});
  EXPECT_EQ(error_fields(post(north, "/v1/care-home-placements",
                              R"({"person_id":")" + person +
                                  R"(","started_on":"2024-07-01","weekly_cost_pence":1,
                                      "property_disregard":true})")),
            std::vector<std::string>{"started_on"});
  EXPECT_EQ(post(south, "/v1/care-home-placements",
                 R"({"person_id":")" + person +
                     R"(","started_on":"2024-01-01","weekly_cost_pence":1,
                         "property_disregard":true})")
                .status,
            404);
  EXPECT_EQ(event_count(), events);
}

TEST_F(CareHomesTest, AnAgreementFromOfferToSignature) {
  const auto plc = placement(create_person(), "2023-06-01");
  auto offered = post(north, "/v1/deferred-payments",
                      R"({"placement_id":")" + plc + R"(","offered_on":"2023-06-15"})");
  ASSERT_EQ(offered.status, 201) << offered.body;
  EXPECT_EQ(offered.json().at("status"), "offered");
  EXPECT_EQ(offered.json().at("balance_pence"), 0);
  EXPECT_TRUE(offered.json().at("equity_limit_pence").is_null());
  const std::string id(offered.json().at("id").as_string());

  const auto events = event_count();
  auto too_high = sign(id, "2023-12-20", 300);  // the maximum to 31 December is 275
  EXPECT_EQ(too_high.status, 422);
  EXPECT_EQ(error_fields(too_high), std::vector<std::string>{"interest_rate_basis_points"});
  EXPECT_EQ(event_count(), events);

  auto signed_ = sign(id, "2023-12-20", 275);
  ASSERT_EQ(signed_.status, 200) << signed_.body;
  EXPECT_EQ(signed_.json().at("status"), "signed");
  // 90% of £250,000 - £14,250 - £1,000 prior charges.
  EXPECT_EQ(signed_.json().at("equity_limit_pence"), 22500000 - 1425000 - 100000);
  EXPECT_EQ(sign(id, "2023-12-21", 275).status, 409);

  // Balance as worked in the domain test, here at 2.75% throughout to 10 January:
  // 27 Dec +50,000; 28-31 Dec 4 x 50,000 x 275 = 55,000,000 -> 15p on 1 Jan (50,015);
  // 1 Jan on 50,000, 2-3 Jan on 50,015, 3 Jan +50,000, 4-10 Jan on 100,015, 10 Jan +50,000:
  // (50,000 + 2 x 50,015 + 7 x 100,015) x 275 / 3,650,000 = 64.05p. 150,015 + 64 = 150,079.
  auto then = get(north, "/v1/deferred-payments/" + id + "?as_at=2024-01-10");
  ASSERT_EQ(then.status, 200);
  EXPECT_EQ(then.json().at("balance_pence"), 150079);
  EXPECT_EQ(then.json().at("as_at"), "2024-01-10");
  auto before = get(north, "/v1/deferred-payments/" + id + "?as_at=2023-12-19").json();
  EXPECT_EQ(before.at("status"), "offered");
  EXPECT_EQ(before.at("balance_pence"), 0);
  // Reading: before signing the equity limit is null, and so is what the signature set.
  EXPECT_TRUE(before.at("equity_limit_pence").is_null());
  EXPECT_TRUE(before.at("signed_on").is_null());
  EXPECT_TRUE(before.at("property_value_pence").is_null());
  EXPECT_TRUE(before.at("share_of_equity_limit").is_null());
  EXPECT_EQ(get(south, "/v1/deferred-payments/" + id).status, 404);
}

TEST_F(CareHomesTest, ARepeatedOfferAnswersWithTheAgreementFirstOffered) {
  const auto plc = placement(create_person(), "2024-01-01");
  const std::string body = R"({"placement_id":")" + plc + R"(","offered_on":"2024-01-10"})";
  auto first = post(north, "/v1/deferred-payments", body, {{"Idempotency-Key", "offer-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  const auto events = event_count();
  auto again = post(north, "/v1/deferred-payments", body, {{"Idempotency-Key", "offer-1"}});
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(event_count(), events);
}

TEST_F(CareHomesTest, OneArrangementPerPlacement) {
  const auto plc = placement(create_person(), "2024-01-01");
  const auto id = offer(plc, "2024-01-10");
  ASSERT_EQ(post(north, "/v1/care-home-placements/" + plc + "/self-funding",
                 R"({"arranged_on":"2024-02-01"})")
                .status,
            200);
  const auto events = event_count();
  EXPECT_EQ(sign(id, "2024-02-10", 300).status, 409);
  EXPECT_EQ(post(north, "/v1/care-home-placements/" + plc + "/self-funding",
                 R"({"arranged_on":"2024-02-02"})")
                .status,
            409);
  EXPECT_EQ(event_count(), events);
}

TEST_F(CareHomesTest, DeclineChargesRepaymentsAndTermination) {
  const auto plc = placement(create_person(), "2024-01-01");
  const auto declined = offer(plc, "2024-01-05");
  auto d = post(north, "/v1/deferred-payments/" + declined + "/decline",
                R"({"declined_on":"2024-01-06"})");
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.json().at("status"), "declined");
  EXPECT_EQ(post(north, "/v1/deferred-payments/" + declined + "/charges",
                 R"({"charged_on":"2024-01-07","amount_pence":100,"description":"fee"})")
                .status,
            409);

  const auto id = offer(plc, "2024-01-10");
  ASSERT_EQ(sign(id, "2024-02-01", 300).status, 200);
  auto charged = post(north, "/v1/deferred-payments/" + id + "/charges",
                      R"({"charged_on":"2024-02-01","amount_pence":25000,"description":"set-up"})");
  ASSERT_EQ(charged.status, 200) << charged.body;
  EXPECT_EQ(charged.json().at("version"), 6);
  EXPECT_EQ(error_fields(post(north, "/v1/deferred-payments/" + id + "/repayments",
                              R"({"repaid_on":"2024-01-31","amount_pence":-5})")),
            (std::vector<std::string>{"repaid_on", "amount_pence"}));
  ASSERT_EQ(post(north, "/v1/deferred-payments/" + id + "/repayments",
                 R"({"repaid_on":"2024-02-05","amount_pence":5000})")
                .status,
            200);
  auto ended = post(north, "/v1/deferred-payments/" + id + "/termination",
                    R"({"terminated_on":"2024-03-01","reason":"property_sold"})");
  ASSERT_EQ(ended.status, 200);
  EXPECT_EQ(ended.json().at("status"), "terminated");
  EXPECT_EQ(ended.json().at("termination_reason"), "property_sold");
  EXPECT_EQ(post(north, "/v1/deferred-payments/" + id + "/termination",
                 R"({"terminated_on":"2024-03-02","reason":"other"})")
                .status,
            409);
  EXPECT_EQ(post(north, "/v1/deferred-payments/dpa_unknown/repayments",
                 R"({"repaid_on":"2024-03-02","amount_pence":1})")
                .status,
            404);
}

TEST_F(CareHomesTest, TheAttentionListsAtTheirBoundaries) {
  const auto ada = create_person();
  const auto plc = placement(ada, "2024-01-01");  // disregard ends 25 March 2024
  auto at = [&](const std::string& query) {
    auto r = get(north, "/v1/deferred-payments/attention?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  };
  auto exactly = at("as_at=2024-02-26");
  EXPECT_EQ(exactly.at("horizon_days"), 28);
  ASSERT_EQ(exactly.at("disregard_ending").as_array().size(), 1u);
  EXPECT_EQ(exactly.at("disregard_ending").as_array()[0].at("days_until"), 28);
  EXPECT_EQ(exactly.at("disregard_ending").as_array()[0].at("placement_id").as_string(), plc);
  EXPECT_TRUE(at("as_at=2024-02-25").at("disregard_ending").as_array().empty());
  EXPECT_EQ(at("as_at=2024-02-25&horizon_days=29").at("disregard_ending").as_array().size(), 1u);

  auto on_the_day = at("as_at=2024-03-25");
  EXPECT_TRUE(on_the_day.at("disregard_ending").as_array().empty());
  ASSERT_EQ(on_the_day.at("unarranged").as_array().size(), 1u);
  EXPECT_EQ(on_the_day.at("unarranged").as_array()[0].at("days_since_disregard_ended"), 0);
  auto later = at("as_at=2024-04-08").at("unarranged").as_array()[0];
  EXPECT_EQ(later.at("disregard_ended_on"), "2024-03-25");
  EXPECT_EQ(later.at("unrecovered_cost_pence"), 160000);  // two whole weeks at £800

  EXPECT_EQ(get(north, "/v1/deferred-payments/attention?horizon_days=-1").status, 400);
  EXPECT_EQ(get(analyst, "/v1/deferred-payments/attention").status, 403);
  EXPECT_TRUE(get(south, "/v1/deferred-payments/attention?as_at=2024-04-08")
                  .json()
                  .at("unarranged")
                  .as_array()
                  .empty());
}

TEST_F(CareHomesTest, NearTheEquityLimitAndTheMeasures) {
  const auto plc = placement(create_person(), "2023-01-02");
  const auto id = offer(plc, "2023-01-03");
  // A small property: limit = 90% of £20,000 - £14,250 - £1,000 = £2,750 (275,000p).
  ASSERT_EQ(sign(id, "2023-01-04", 0, "2000000").status, 200);
  // £500 a week from 11 January 2023, no interest: 6 weeks (300,000p) by 15 February.
  auto r = get(north, "/v1/deferred-payments/attention?as_at=2023-02-01").json();
  ASSERT_EQ(r.at("near_equity_limit").as_array().size(), 1u);  // 4 weeks: 200,000 = 72.7%
  auto item = r.at("near_equity_limit").as_array()[0];
  EXPECT_EQ(item.at("flag"), 70);
  EXPECT_EQ(item.at("balance_pence"), 200000);
  EXPECT_EQ(item.at("equity_limit_pence"), 275000);
  EXPECT_NEAR(item.at("share_of_equity_limit").as_double(), 200000.0 / 275000.0, 1e-12);
  auto over = get(north, "/v1/deferred-payments/attention?as_at=2023-02-08").json();
  EXPECT_EQ(over.at("near_equity_limit").as_array()[0].at("flag"), 90);  // 250,000 = 90.9%

  auto m = get(analyst, "/v1/measures?from=2022-04-01&to=2023-02-08");
  ASSERT_EQ(m.status, 200);
  const auto body = m.json();
  std::map<std::string, boost::json::value> f;
  for (const auto& x : body.at("measures").as_array()) f[std::string(x.at("id").as_string())] = x;
  EXPECT_EQ(f["deferred_payments.signed"].at("value"), 1);
  EXPECT_EQ(f["deferred_payments.active"].at("value"), 1);
  EXPECT_EQ(f["deferred_payments.total_outstanding"].at("value"), 250000);
  EXPECT_EQ(f["deferred_payments.total_outstanding"].at("unit"), "pence");
  EXPECT_EQ(f["deferred_payments.unarranged"].at("value"), 0);  // signed before it ended
  EXPECT_EQ(f["deferred_payments.disregard_ending"].at("unit"), "people");
}

}  // namespace
}  // namespace careledger::testing
