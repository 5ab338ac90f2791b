#include "persistence/access_log.hpp"

namespace careledger::persistence {

RowBatch access_rows(const AccessEntry& e) {
  auto rows = RowBatch::insert(
      "access_log", {"at", "user", "role", "method", "route", "status", "person_id", "filters",
                     "people_shown", "request_id", "client"});
  auto or_null = [](const auto& value) { return value ? RowValue(*value) : RowValue(); };
  rows.add({e.at, or_null(e.user), or_null(e.role), e.method, e.route, e.status,
            or_null(e.person_id), e.filters, or_null(e.people_shown), e.request_id, e.client});
  return rows;
}

void append_access(Connection& db, const AccessEntry& e) {
  access_rows(e).write(db);
}

std::vector<AccessEntry> read_access(Connection& db, const AccessQuery& query) {
  Prepared q(
      db,
      "SELECT position, at, \"user\", role, method, route, status, person_id, filters, "
      "people_shown, request_id, client FROM access_log "
      "WHERE (CAST(?1 AS TEXT) IS NULL OR person_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR "
      "\"user\" = ?2) "
      "AND (CAST(?3 AS TEXT) IS NULL OR at >= ?3) AND (CAST(?4 AS TEXT) IS NULL OR at <= ?4) "
      "AND (CAST(?5 AS BIGINT) IS NULL OR position < ?5) ORDER BY position DESC LIMIT ?6");
  bind_or_null(*q, 1, query.person_id);
  bind_or_null(*q, 2, query.user);
  bind_or_null(*q, 3, query.from);
  bind_or_null(*q, 4, query.to);
  bind_or_null(*q, 5, query.before);
  q->bind(6, sql_limit(query.limit));
  std::vector<AccessEntry> out;
  while (q->executeStep()) {
    AccessEntry e;
    e.position = q->getColumn(0).getInt64();
    e.at = q->getColumn(1).getString();
    e.user = text_or_null(q->getColumn(2));
    e.role = text_or_null(q->getColumn(3));
    e.method = q->getColumn(4).getString();
    e.route = q->getColumn(5).getString();
    e.status = q->getColumn(6).getInt();
    e.person_id = text_or_null(q->getColumn(7));
    e.filters = q->getColumn(8).getString();
    if (!q->getColumn(9).isNull()) e.people_shown = q->getColumn(9).getInt64();
    e.request_id = q->getColumn(10).getString();
    e.client = q->getColumn(11).getString();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace careledger::persistence
