# SPDX-License-Identifier: GPL-3.0-or-later
# Writes OUTPUT: a C++ source defining `tattle::core::kMigrations`, the schema migration scripts given in
# INPUTS (a ;-separated list, applied in that order), so the binary carries the schema it was built for.
set(content "// Generated from resources/schema by cmake/embed.cmake. Do not edit.\n#include <string_view>\n")
string(APPEND content "namespace tattle::core {\nextern const std::string_view kMigrations[];\nextern const int kMigrationCount;\n")
string(APPEND content "const std::string_view kMigrations[] = {\n")
set(count 0)
foreach(input IN LISTS INPUTS)
    file(READ "${input}" sql)
    string(APPEND content "R\"tattle_sql(${sql})tattle_sql\",\n")
    math(EXPR count "${count} + 1")
endforeach()
string(APPEND content "};\nconst int kMigrationCount = ${count};\n}\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
