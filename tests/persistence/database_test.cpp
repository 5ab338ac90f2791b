// The database file itself: who may read it.
#include "persistence/database.hpp"

#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.hpp"

namespace careledger::persistence {
namespace {

using namespace careledger::testing;

unsigned mode_of(const std::string& path) {
  struct stat s {};
  if (::stat(path.c_str(), &s) != 0) return 0;
  return s.st_mode & 0777;
}

TEST(DatabaseFile, ANewDatabaseAndItsLogAreReadableByTheirOwnerAlone) {
  TempDir dir;
  const auto path = dir.file("new.db");
  auto db = open_writer(path);
  db->exec("CREATE TABLE t (x)");  // the -wal and -shm exist once written
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path + "-wal"), 0600u);
  EXPECT_EQ(mode_of(path + "-shm"), 0600u);
}

TEST(DatabaseFile, OneMadeReadableByOthersIsMadePrivateWhenOpened) {
  TempDir dir;
  const auto path = dir.file("old.db");
  open_writer(path)->exec("CREATE TABLE t (x)");
  for (const auto& file : {path, path + "-wal", path + "-shm"}) {
    std::ofstream(file, std::ios::app).flush();  // each exists, as a server left them
    ::chmod(file.c_str(), 0644);
  }
  auto db = open_writer(path);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(path + "-wal"), 0600u);
  EXPECT_EQ(mode_of(path + "-shm"), 0600u);
}

}  // namespace
}  // namespace careledger::persistence
