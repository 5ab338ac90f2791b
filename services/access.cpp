#include "services/access.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "persistence/users.hpp"
#include "services/failure.hpp"

namespace careledger::services {

namespace {
std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0x0f];
  }
  return out;
}
// Bytes from OpenSSL's generator, drawn 4 KiB at a time per thread: one call per few hundred
// ids rather than one each (every call also checks whether the process has forked). Bytes
// handed out are wiped from the pool.
std::string random_hex(std::size_t bytes) {
  thread_local std::array<unsigned char, 4096> pool{};
  thread_local std::size_t used = pool.size();
  if (bytes > pool.size()) throw std::logic_error("too many random bytes asked for at once");
  if (used + bytes > pool.size()) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) {
      throw std::runtime_error("no randomness available");
    }
    used = 0;
  }
  auto out = to_hex(pool.data() + used, bytes);
  std::fill_n(pool.data() + used, bytes, static_cast<unsigned char>(0));
  used += bytes;
  return out;
}
}  // namespace

bool Actor::sees_casework_of(const domain::Team& team) const {
  if (role == domain::Role::admin) return true;
  if (role == domain::Role::analyst) return false;
  return std::find(teams.begin(), teams.end(), team) != teams.end();
}

void require_purpose(const Actor& actor, Purpose purpose) {
  using domain::Role;
  bool allowed = false;
  switch (purpose) {
    case Purpose::casework:
      allowed = actor.role != Role::analyst;
      break;
    case Purpose::measures:
      allowed = actor.role != Role::practitioner;
      break;
    case Purpose::operations:
    case Purpose::administration:
    case Purpose::national_return:
      allowed = actor.role == Role::admin;
      break;
    case Purpose::data_quality:
      allowed = actor.role == Role::admin || actor.role == Role::analyst;
      break;
    case Purpose::reference:
      allowed = true;
      break;
    case Purpose::corrections:
      allowed = actor.role == Role::admin || actor.role == Role::team_leader;
      break;
  }
  if (!allowed) {
    throw Failure(Failure::Kind::forbidden, "your role may not use this endpoint");
  }
}

persistence::TeamFilter team_scope(const Actor& actor, const std::optional<domain::Team>& asked,
                                   Purpose purpose) {
  require_purpose(actor, purpose);
  const bool all_teams = actor.is(domain::Role::admin) || actor.is(domain::Role::analyst);
  if (asked) {
    if (!all_teams && !actor.sees_casework_of(*asked)) {
      throw Failure(Failure::Kind::forbidden, "you may not see this team",
                    {{"team", "not one of your teams"}});
    }
    return std::vector<domain::Team>{*asked};
  }
  if (all_teams) return std::nullopt;
  return actor.teams;
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256 failed");
  }
  return to_hex(digest.data(), size);
}

std::string new_token() {
  return random_hex(32);
}

std::string new_id(std::string_view prefix) {
  // Time first, so that new rows land at the end of each index rather than on a random page
  // (fewer pages written per commit); 64 random bits after it keep ids unguessable.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  char time_hex[13];
  std::snprintf(time_hex, sizeof time_hex, "%012llx", static_cast<unsigned long long>(ms));
  return std::string(prefix) + time_hex + random_hex(8);
}

}  // namespace careledger::services
