# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=name -P embed_asset.cmake
# Writes a C++ file defining `extern const unsigned char SYMBOL[]` with INPUT's bytes and a
# terminating NUL (UTF-8 and any other bytes allowed; cmake/embed_text.cmake is for ASCII).
file(READ "${INPUT}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUTPUT}"
  "// Generated from ${INPUT} by reports/embed_asset.cmake; do not edit.\n"
  "namespace stampede {\nextern const unsigned char ${SYMBOL}[];\n"
  "const unsigned char ${SYMBOL}[] = {${bytes} 0x00};\n}  // namespace stampede\n")
