# An INTERFACE target carrying the project's warning flags; link it PRIVATE.
add_library(fa_warnings INTERFACE)
target_compile_options(fa_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wno-format-nonliteral)
if(FA_WERROR)
  target_compile_options(fa_warnings INTERFACE -Werror)
endif()
