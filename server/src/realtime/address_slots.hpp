#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace voxpop {

// Caps the live connections one client address may hold, so a single machine cannot take
// every slot of max_connections. A granted Slot counts until it is destroyed; the session
// that owns it releases it by simply going away.
class AddressSlots {
  public:
    class Slot {
      public:
        Slot() = default;
        Slot(Slot&& other) noexcept;
        Slot& operator=(Slot&& other) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }

      private:
        friend class AddressSlots;
        Slot(AddressSlots* owner, std::string address)
            : owner_(owner), address_(std::move(address)) {}
        void release();

        AddressSlots* owner_ = nullptr;
        std::string address_;
    };

    // limit 0: no cap (every acquire succeeds and nothing is counted).
    explicit AddressSlots(std::size_t limit) : limit_(limit) {}

    // A slot for `address`, or nullopt when it already holds `limit` of them.
    std::optional<Slot> acquire(const std::string& address);
    std::size_t held(const std::string& address) const;

  private:
    void release(const std::string& address);

    const std::size_t limit_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::size_t> held_;
};

}  // namespace voxpop
