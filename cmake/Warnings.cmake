# An INTERFACE target carrying the project's warning flags; link it PRIVATE.
add_library(fa_warnings INTERFACE)
target_compile_options(fa_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wno-format-nonliteral)
# snprintf into fixed buffers truncates on purpose (messages, quoted
# values); GCC's guesses about it depend on the optimisation level.
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  target_compile_options(fa_warnings INTERFACE -Wno-format-truncation)
endif()
if(FA_WERROR)
  target_compile_options(fa_warnings INTERFACE -Werror)
endif()
