# Turns schema/*/NNN_name.sql files into a C array of migrations.
# Called at build time: cmake -DOUT=file.c -DSYMBOL=name -DFILES=a|b -P embed.cmake
# The number before the first underscore is the user_version the file
# brings the database to; numbers must run 1, 2, 3 ... without gaps.
string(REPLACE "|" ";" FILES "${FILES}")
set(body "")
set(expected 1)
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^([0-9]+)_" _ ${name})
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "migration ${name} does not start with a number")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "migration ${name}: expected number ${expected}")
  endif()
  math(EXPR expected "${expected} + 1")
  file(READ ${f} sql HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," sql "${sql}")
  string(APPEND body "static const char m${version}[] = {${sql}0x00};\n")
  list(APPEND entries "{${version}, \"${name}\", m${version}}")
endforeach()
list(JOIN entries ",\n  " entries)
file(WRITE ${OUT}.tmp
"/* Generated from schema/ by embed.cmake. Do not edit. */
#include \"store/migrations.h\"
${body}
const struct migration ${SYMBOL}[] = {
  ${entries}
};
const int ${SYMBOL}_count = (int)(sizeof ${SYMBOL} / sizeof ${SYMBOL}[0]);
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
