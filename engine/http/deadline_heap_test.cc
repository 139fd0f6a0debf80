#include "engine/http/deadline_heap.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace stampede {
namespace {

struct Item {
  Nanos deadline = 0;
  size_t heap_index = DeadlineHeap<Item>::kNotQueued;
};

TEST(NativeDeadlineHeapTest, PopsInDeadlineOrder) {
  std::vector<Item> items(5);
  Nanos deadlines[] = {50, 10, 40, 10, 30};
  DeadlineHeap<Item> heap;
  for (size_t i = 0; i < items.size(); ++i) {
    items[i].deadline = deadlines[i];
    heap.push(&items[i]);
  }
  std::vector<Nanos> order;
  while (!heap.empty()) order.push_back(heap.pop()->deadline);
  EXPECT_EQ(order, (std::vector<Nanos>{10, 10, 30, 40, 50}));
  for (const Item& item : items) EXPECT_FALSE(DeadlineHeap<Item>::contains(&item));
}

// Random pushes, removals and pops checked against a std::multiset.
TEST(NativeDeadlineHeapTest, MatchesAReferenceUnderRandomOperations) {
  std::mt19937 rng(7);
  std::vector<std::unique_ptr<Item>> items;
  for (int i = 0; i < 200; ++i) items.push_back(std::make_unique<Item>());
  DeadlineHeap<Item> heap;
  std::multiset<std::pair<Nanos, Item*>> reference;
  for (int step = 0; step < 20000; ++step) {
    Item* item = items[rng() % items.size()].get();
    int op = static_cast<int>(rng() % 3);
    if (op == 0 && !DeadlineHeap<Item>::contains(item)) {
      item->deadline = static_cast<Nanos>(rng() % 1000);
      heap.push(item);
      reference.insert({item->deadline, item});
    } else if (op == 1 && DeadlineHeap<Item>::contains(item)) {
      heap.remove(item);
      reference.erase({item->deadline, item});
    } else if (op == 2 && !heap.empty()) {
      Item* top = heap.pop();
      ASSERT_EQ(top->deadline, reference.begin()->first);
      reference.erase({top->deadline, top});
    }
    ASSERT_EQ(heap.size(), reference.size());
    if (!heap.empty()) {
      ASSERT_EQ(heap.top()->deadline, reference.begin()->first);
    }
  }
  heap.remove(items[0].get());  // removing twice is harmless
  heap.remove(items[0].get());
}

}  // namespace
}  // namespace stampede
