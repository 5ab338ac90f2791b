# Writes OUT, a C++ source holding every file of DIR (the dashboard's static files) as bytes, so
# the binary serves them with nothing installed beside it. Run at build time:
#   cmake -DDIR=... -DOUT=... -P embed_dashboard.cmake
file(GLOB files RELATIVE ${DIR} ${DIR}/*)
list(SORT files)
set(arrays "")
set(entries "")
set(index 0)
foreach(name IN LISTS files)
  if(IS_DIRECTORY ${DIR}/${name})
    continue()
  endif()
  file(READ ${DIR}/${name} hex HEX)
  string(LENGTH "${hex}" digits)
  math(EXPR size "${digits} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(APPEND arrays "const char file_${index}[] = {${bytes} 0};\n")
  string(APPEND entries "      {\"${name}\", std::string_view(file_${index}, ${size})},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUT}.new "// Generated from api/dashboard/ by api/embed_dashboard.cmake: do not edit.
#include \"api/dashboard_files.hpp\"

namespace careledger::api {
namespace {
${arrays}}  // namespace

const std::vector<DashboardFile>& dashboard_files() {
  static const std::vector<DashboardFile> files{
${entries}  };
  return files;
}

}  // namespace careledger::api
")
# Only a changed file is rebuilt.
file(COPY_FILE ${OUT}.new ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.new)
