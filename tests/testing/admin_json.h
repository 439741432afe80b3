// Runs the real confidant-admin with --json against a relay's data directory
// and parses its one JSON document into the response message. Test-only.
#ifndef CONFIDANT_TESTS_TESTING_ADMIN_JSON_H_
#define CONFIDANT_TESTS_TESTING_ADMIN_JSON_H_

#include <google/protobuf/util/json_util.h>

#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace confidant::testing {

// Adds a test failure (and returns an empty message) if the command fails or
// its output does not parse as `Message`.
template <typename Message>
Message AdminJson(const std::string& admin_binary, const std::string& data_dir,
                  std::vector<std::string> args) {
  std::vector<std::string> argv = {admin_binary, "--data-dir", data_dir,
                                   "--json"};
  argv.insert(argv.end(), std::make_move_iterator(args.begin()),
              std::make_move_iterator(args.end()));
  CommandResult r = RunCommand(argv);
  Message m;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &m).ok())
      << r.out;
  return m;
}

}  // namespace confidant::testing

#endif  // CONFIDANT_TESTS_TESTING_ADMIN_JSON_H_
