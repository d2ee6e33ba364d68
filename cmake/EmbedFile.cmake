# Write a C source holding the bytes of a file, so the program carries a
# copy of it made at build time (one source of truth: the file itself).
#
#   cmake -DIN=docs/report.schema.json -DOUT=report_schema.c
#         -DNAME=fa_cli_report_schema -P EmbedFile.cmake
#
# defines `const char NAME[]` (the bytes, then a NUL) and
# `const size_t NAME_len` (the number of bytes, without the NUL).
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" nhex)
math(EXPR nbytes "${nhex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
# sixteen bytes a line (CMake's regular expressions have no {16})
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 line)
string(REGEX REPLACE "(${line})" "\\1\n" body "${body}")
get_filename_component(from "${IN}" NAME)
file(WRITE "${OUT}.tmp"
  "/* generated from ${from} by cmake/EmbedFile.cmake: do not edit */\n"
  "#include <stddef.h>\n\n"
  "extern const char ${NAME}[];\n"
  "extern const size_t ${NAME}_len;\n\n"
  "const char ${NAME}[] = {\n${body}\n0x00};\n"
  "const size_t ${NAME}_len = ${nbytes};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
