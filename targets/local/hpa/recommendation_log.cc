#include "targets/local/hpa/recommendation_log.h"

#include <algorithm>
#include <utility>

namespace stampede::local {

void RecommendationLog::record_initial(double now, int current_replicas) {
  if (initialized_) return;
  initialized_ = true;
  if (entries_.empty()) entries_.push_back({now, current_replicas});
}

int RecommendationLog::stabilize(double now, int current, int desired, int up_window_seconds,
                                 int down_window_seconds) {
  const double up_cutoff = now - up_window_seconds;
  const double down_cutoff = now - down_window_seconds;
  int up_recommendation = desired;    // lowest in the scale-up window
  int down_recommendation = desired;  // highest in the scale-down window
  bool found_old = false;
  size_t old_index = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const TimedRecommendation& rec = entries_[i];
    if (rec.at > up_cutoff) up_recommendation = std::min(up_recommendation, rec.replicas);
    if (rec.at > down_cutoff) down_recommendation = std::max(down_recommendation, rec.replicas);
    if (rec.at < up_cutoff && rec.at < down_cutoff) {
      found_old = true;
      old_index = i;
    }
  }
  int recommendation = current;
  if (recommendation < up_recommendation) recommendation = up_recommendation;
  if (recommendation > down_recommendation) recommendation = down_recommendation;
  if (found_old) {
    entries_[old_index] = {now, desired};
  } else {
    entries_.push_back({now, desired});
  }
  return recommendation;
}

int RecommendationLog::stabilize_scale_down(double now, int desired, int window_seconds) {
  const double cutoff = now - window_seconds;
  int highest = desired;
  bool found_old = false;
  size_t old_index = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const TimedRecommendation& rec = entries_[i];
    if (rec.at < cutoff) {
      found_old = true;
      old_index = i;
    } else if (rec.replicas > highest) {
      highest = rec.replicas;
    }
  }
  if (found_old) {
    entries_[old_index] = {now, desired};
  } else {
    entries_.push_back({now, desired});
  }
  return highest;
}

void RecommendationLog::set_entries(std::vector<TimedRecommendation> entries) {
  entries_ = std::move(entries);
  initialized_ = true;
}

}  // namespace stampede::local
