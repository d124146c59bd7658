#include "realtime/address_slots.hpp"

#include <utility>

namespace voxpop {

AddressSlots::Slot::Slot(Slot&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), address_(std::move(other.address_)) {}

AddressSlots::Slot& AddressSlots::Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::exchange(other.owner_, nullptr);
        address_ = std::move(other.address_);
    }
    return *this;
}

void AddressSlots::Slot::release() {
    if (owner_) std::exchange(owner_, nullptr)->release(address_);
}

std::optional<AddressSlots::Slot> AddressSlots::acquire(const std::string& address) {
    if (limit_ == 0) return Slot{};
    std::lock_guard lock(mutex_);
    auto& count = held_[address];
    if (count >= limit_) return std::nullopt;
    ++count;
    return Slot{this, address};
}

std::size_t AddressSlots::held(const std::string& address) const {
    std::lock_guard lock(mutex_);
    auto it = held_.find(address);
    return it == held_.end() ? 0 : it->second;
}

void AddressSlots::release(const std::string& address) {
    std::lock_guard lock(mutex_);
    auto it = held_.find(address);
    if (it != held_.end() && --it->second == 0) held_.erase(it);
}

}  // namespace voxpop
