// Reads the known-answer vector files in tests/*/testdata: blocks of
// `name = value` lines separated by blank lines; lines starting with '#' are
// comments. Shared by the tests of every implementation that reads them.
#ifndef CONFIDANT_TESTS_TESTING_VECTOR_FILE_H_
#define CONFIDANT_TESTS_TESTING_VECTOR_FILE_H_

#include <map>
#include <string>
#include <vector>

namespace confidant::testing {

using VectorBlock = std::map<std::string, std::string>;

// The blocks of the file at `path`, names and values trimmed. Throws
// std::runtime_error if the file cannot be read or a line has no '='.
std::vector<VectorBlock> ReadVectorBlocks(const std::string& path);

}  // namespace confidant::testing

#endif  // CONFIDANT_TESTS_TESTING_VECTOR_FILE_H_
