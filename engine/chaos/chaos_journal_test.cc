#include "engine/chaos/chaos_journal.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/testing/temp_dir.h"
#include "engine/chaos/chaos_test_util.h"

namespace stampede {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

UndoStep clear_faults(const std::string& pod) {
  return UndoStep{UndoStep::Kind::kClearPodFaults, pod, 0};
}

TEST(ChaosJournalTest, IntendAppliedRevertedAndPending) {
  TempDir dir;
  std::string path = chaos_journal_path(dir.path() + "/state");  // the folder is created
  auto journal = ChaosJournal::open(path, "run-1", true);
  ASSERT_TRUE(journal.ok()) << journal.error().message();
  auto a = journal.value()->intend("fault#1", "fault", clear_faults("cart-1"), "fake");
  auto b = journal.value()->intend("scale#1", "scale", UndoStep{UndoStep::Kind::kScale, "cart", 2},
                                   "fake");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(journal.value()->applied(a.value()).ok());
  ASSERT_TRUE(journal.value()->applied(b.value()).ok());
  auto pending = read_pending(path);
  ASSERT_TRUE(pending.ok()) << pending.error().message();
  ASSERT_EQ(pending.value().size(), 2u);
  EXPECT_EQ(pending.value()[0].action_id, "scale#1");  // newest first
  EXPECT_EQ(pending.value()[0].step.replicas, 2);
  EXPECT_EQ(pending.value()[1].step.name, "cart-1");
  ASSERT_TRUE(journal.value()->reverted(b.value()).ok());
  pending = read_pending(path);
  ASSERT_EQ(pending.value().size(), 1u);
  EXPECT_EQ(pending.value()[0].action_id, "fault#1");
  std::string text = read_all(path);
  EXPECT_NE(text.find(R"("op":"intend")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("undo":{"kind":"clear-pod-faults","name":"cart-1"})"), std::string::npos)
      << text;
}

TEST(ChaosJournalTest, MissingFileHasNothingPending) {
  TempDir dir;
  auto pending = read_pending(dir.path() + "/none.jsonl");
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending.value().empty());
}

TEST(ChaosJournalTest, TornLastLineIsIgnoredButCorruptionIsNot) {
  TempDir dir;
  std::string path = dir.path() + "/j.jsonl";
  {
    auto journal = ChaosJournal::open(path, "r", true);
    ASSERT_TRUE(journal.value()->intend("fault#1", "fault", clear_faults("p-1"), "fake").ok());
  }
  std::ofstream(path, std::ios::app) << R"({"run":"r","entry":2,"op":"inte)";
  auto pending = read_pending(path);
  ASSERT_TRUE(pending.ok()) << pending.error().message();
  EXPECT_EQ(pending.value().size(), 1u);
  std::ofstream(path, std::ios::app) << "\n"
                                     << R"({"run":"r","entry":3,"op":"applied"})"
                                     << "\n";
  auto broken = read_pending(path);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message(), path + ":2: not a journal entry");
}

TEST(ChaosJournalTest, OneWriterAtATime) {
  TempDir dir;
  std::string path = dir.path() + "/j.jsonl";
  auto live = ChaosJournal::open(path, "a", true);
  ASSERT_TRUE(live.ok());
  ASSERT_TRUE(live.value()->intend("fault#1", "fault", clear_faults("p-1"), "fake").ok());
  for (bool truncate : {true, false}) {
    auto second = ChaosJournal::open(path, "b", truncate);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().message().find("another stampede run is using this chaos journal"),
              std::string::npos);
  }
  EXPECT_EQ(read_pending(path).value().size(), 1u) << "the refused open emptied nothing";
  live.value().reset();
  EXPECT_TRUE(ChaosJournal::open(path, "b", false).ok());
}

TEST(ChaosJournalTest, AWrongTypedFieldIsAnErrorNotACrash) {
  TempDir dir;
  std::string path = dir.path() + "/j.jsonl";
  std::ofstream(path) << R"({"run":"r","entry":"3","op":"intend"})"
                      << "\n"
                      << R"({"run":"r","entry":4,"op":"applied"})"
                      << "\n";
  auto pending = read_pending(path);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().message().rfind(path + ":1: a field has the wrong type", 0), 0u)
      << pending.error().message();
}

TEST(ChaosJournalTest, AppendingAfterATornLineStartsANewLine) {
  TempDir dir;
  std::string path = dir.path() + "/j.jsonl";
  {
    auto journal = ChaosJournal::open(path, "r", true);
    ASSERT_TRUE(journal.value()->intend("fault#1", "fault", clear_faults("p-1"), "fake").ok());
  }
  std::ofstream(path, std::ios::app) << R"({"run":"r","entry":2,"op":"inte)";  // died mid-write
  {
    auto journal = ChaosJournal::open(path, "revert", false);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(journal.value()->intend("fault#2", "fault", clear_faults("p-2"), "fake").ok());
  }
  // The torn line is now in the middle: a damaged journal, named as such, but never one whose
  // new entries are glued to the fragment.
  auto pending = read_pending(path);
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().message(), path + ":2: not a journal entry");
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) last = line;
  EXPECT_NE(last.find("\"fault#2\""), std::string::npos) << last;
  EXPECT_EQ(last.front(), '{');
}

TEST(ChaosJournalTest, RevertPendingUndoesAndMarksEachStep) {
  TempDir dir;
  FakePlatform fake;
  chaos_test::add_shop(fake);
  std::string path = dir.path() + "/j.jsonl";
  {
    auto journal = ChaosJournal::open(path, "crashed-run", true);
    FaultKnobs hang;
    hang.hang = true;
    ASSERT_TRUE(fake.set_pod_faults("cart-1", hang).ok());
    ASSERT_TRUE(
        journal.value()->intend("fault#1", "fault", clear_faults("cart-1"), fake.identity()).ok());
    ASSERT_TRUE(fake.scale("payment", 0).ok());
    ASSERT_TRUE(journal.value()
                    ->intend("down#1", "dependency-down",
                             UndoStep{UndoStep::Kind::kScale, "payment", 1}, fake.identity())
                    .ok());
  }  // the run "crashed" here: nothing reverted
  fake.fail_next("scale");
  std::vector<std::string> log;
  Status st = revert_pending(fake, path, &log);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("1 of 2 undo steps failed"), std::string::npos)
      << st.error().message();
  EXPECT_EQ(read_pending(path).value().size(), 1u) << "the failed step stays pending";
  EXPECT_FALSE(fake.pod_faults("cart-1"));
  log.clear();
  ASSERT_TRUE(revert_pending(fake, path, &log).ok());
  EXPECT_EQ(log, std::vector<std::string>{"reverted: scale payment back to 1 (down#1)"});
  EXPECT_EQ(fake.replicas("payment"), 1);
  EXPECT_TRUE(read_pending(path).value().empty());
  // Nothing left: a second revert does nothing and touches nothing.
  size_t calls = fake.calls().size();
  ASSERT_TRUE(revert_pending(fake, path).ok());
  EXPECT_EQ(fake.calls().size(), calls);
}

TEST(ChaosJournalTest, RevertRefusesAJournalOfAnotherPlatform) {
  TempDir dir;
  FakePlatform fake;
  chaos_test::add_shop(fake);
  std::string path = dir.path() + "/j.jsonl";
  {
    auto journal = ChaosJournal::open(path, "crashed-run", true);
    ASSERT_TRUE(journal.value()
                    ->intend("scale#1", "scale", UndoStep{UndoStep::Kind::kScale, "cart", 3},
                             "Kubernetes https://10.0.0.1:6443 namespace shop")
                    .ok());
  }
  Status st = revert_pending(fake, path);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message().find("lists faults applied on Kubernetes https://10.0.0.1:6443 "
                                      "namespace shop, not on fake platform"),
            std::string::npos)
      << st.error().message();
  EXPECT_TRUE(fake.calls().empty()) << "nothing undone on the wrong platform";
  EXPECT_EQ(read_pending(path).value().size(), 1u);
}

TEST(ChaosJournalTest, UndoStepJsonRoundTripAndErrors) {
  UndoStep s{UndoStep::Kind::kScale, "redis", 3};
  auto back = undo_from_json(undo_to_json(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value().kind, UndoStep::Kind::kScale);
  EXPECT_EQ(back.value().replicas, 3);
  EXPECT_EQ(undo_from_json(nlohmann::json{{"kind", "explode"}, {"name", "x"}}).error().message(),
            "undo.kind: unknown 'explode'");
  EXPECT_FALSE(undo_from_json(nlohmann::json{{"kind", "scale"}, {"name", "x"}}).ok());
}

}  // namespace
}  // namespace stampede
