# Turns schema/NNN_name.sql into a C++ table so the binary knows its own schema version
# and needs no files beside it at run time.
# Inputs: SCHEMA_DIR, OUTPUT.
file(GLOB sql_files "${SCHEMA_DIR}/[0-9][0-9][0-9]_*.sql")
list(SORT sql_files)
set(body "")
foreach(path IN LISTS sql_files)
  get_filename_component(name "${path}" NAME)
  string(SUBSTRING "${name}" 0 3 number)
  math(EXPR version "${number}")
  file(READ "${path}" sql)
  string(APPEND body "    {${version}, \"${name}\", R\"voxpop_sql(${sql})voxpop_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from schema/*.sql by cmake/EmbedMigrations.cmake. Do not edit.
#include \"storage/migrations.hpp\"

namespace voxpop {

const std::vector<Migration>& embedded_migrations() {
    static const std::vector<Migration> migrations = {
${body}    };
    return migrations;
}

}  // namespace voxpop
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
