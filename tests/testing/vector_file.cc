#include "tests/testing/vector_file.h"

#include <fstream>
#include <stdexcept>

namespace confidant::testing {
namespace {

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const size_t end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

std::vector<VectorBlock> ReadVectorBlocks(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::vector<VectorBlock> blocks(1);
  std::string line;
  while (std::getline(file, line)) {
    if (Trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
      continue;
    }
    if (line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      throw std::runtime_error(path + ": line without '=': " + line);
    }
    blocks.back()[Trim(line.substr(0, eq))] = Trim(line.substr(eq + 1));
  }
  if (blocks.back().empty()) blocks.pop_back();
  return blocks;
}

}  // namespace confidant::testing
