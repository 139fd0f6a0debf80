#include "shop-reference/common/shop_metrics.h"

namespace shop {

stampede::prometheus::Registry& registry() {
  static stampede::prometheus::Registry r;
  return r;
}

}  // namespace shop
