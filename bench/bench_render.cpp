// SPDX-License-Identifier: MIT
// bench-render: frame time of the map renderer (gui/map, our shaders, LOD + culling)
// against drawing the same lines with Dear ImGui's ImDrawList::AddPolyline per feature,
// for 10k, 100k and 1M visible line vertices, plus the default Belgian view. Needs a
// display (runs under xvfb-run). Last line: RESULT speedup=<x> frame_ms_default=<y> ...
#include <GL/glew.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "map/gl_util.hpp"
#include "map/prepare.hpp"
#include "map/renderer.hpp"
#include "map/view.hpp"
#include "mp/data/default_data.hpp"
#include "mp/geo/crs.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using mp::gui::map::MapRenderer;

constexpr int kWidth = 1024, kHeight = 768;
constexpr int kVerticesPerFeature = 200;
constexpr std::array<float, 4> kBackground{0.86f, 0.91f, 0.95f, 1.0f};

struct Stats {
    double cpu_med = 0, cpu_p99 = 0, total_med = 0, total_p99 = 0;
    int frames = 0;
};

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(std::ceil(q * v.size())) - 1);
    return v[i];
}

// Runs frame() until min_frames and min_seconds have both passed (or max_seconds);
// frame() returns its CPU milliseconds, the total is measured after glFinish.
template <typename F>
Stats measure(F&& frame, int min_frames = 30, double max_seconds = 10) {
    for (int i = 0; i < 3; ++i) {  // warm-up: first uploads, shader variants
        frame();
        glFinish();
    }
    std::vector<double> cpu, total;
    const auto start = Clock::now();
    while (static_cast<int>(cpu.size()) < min_frames &&
           std::chrono::duration<double>(Clock::now() - start).count() < max_seconds) {
        const auto t0 = Clock::now();
        cpu.push_back(frame());
        glFinish();
        total.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    Stats s;
    s.frames = static_cast<int>(cpu.size());
    s.cpu_med = percentile(cpu, 0.5);
    s.cpu_p99 = percentile(cpu, 0.99);
    s.total_med = percentile(total, 0.5);
    s.total_p99 = percentile(total, 0.99);
    return s;
}

// Random-walk lines over Belgium: n_vertices in features of kVerticesPerFeature.
mp::layer::Layer synthetic_lines(std::size_t n_vertices, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(2.6, 6.3), lat(49.6, 51.4), turn(-0.6, 0.6), angle(0, 6.2831853);
    mp::layer::Layer l;
    l.name = "synthetic";
    for (std::size_t done = 0, id = 0; done < n_vertices; ++id) {
        mp::layer::Feature f;
        f.id = std::to_string(id);
        mp::geo::LineString line;
        double x = lon(rng), y = lat(rng), a = angle(rng);
        const std::size_t n = std::min<std::size_t>(kVerticesPerFeature, n_vertices - done);
        for (std::size_t i = 0; i < n; ++i) {
            line.push_back(mp::geo::lonlat(x, y));
            a += turn(rng);
            x += 0.0015 * std::cos(a);
            y += 0.001 * std::sin(a);
        }
        done += n;
        if (line.size() < 2) break;
        f.geometry = std::move(line);
        l.features.push_back(std::move(f));
    }
    return l;
}

mp::gui::map::ViewTransform view_of(const mp::gui::map::Extent& e) {
    mp::gui::map::ViewTransform v;
    v.width_px = kWidth;
    v.height_px = kHeight;
    v.fit(e, 8);
    return v;
}

struct Case {
    std::size_t vertices = 0;
    Stats ours, ours_full, imgui;
};

Stats bench_ours(MapRenderer& r, MapRenderer::LayerId id, const mp::gui::map::ViewTransform& v, bool lod) {
    mp::gui::map::LayerStyle style;
    style.stroke = {0.8f, 0.3f, 0.1f, 1.0f};
    style.width_px = 1.5f;
    r.set_lod_enabled(lod);
    auto s = measure([&] {
        const auto t0 = Clock::now();
        glViewport(0, 0, kWidth, kHeight);
        r.begin(v, 0, 0, &kBackground);
        r.draw(id, style);
        r.end();
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    });
    r.set_lod_enabled(true);
    return s;
}

Stats bench_imgui(const mp::gui::map::PreparedLayer& p, const mp::gui::map::ViewTransform& v) {
    std::vector<ImVec2> pts;
    return measure([&] {
        const auto t0 = Clock::now();
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(kWidth, kHeight);
        io.DeltaTime = 1.0f / 60;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui::NewFrame();
        ImDrawList* dl = ImGui::GetBackgroundDrawList();
        for (const auto& f : p.features)
            for (const auto& line : f.lines) {
                pts.clear();
                for (const auto& q : line) {
                    const auto px = v.to_pixel(q.x, q.y);
                    pts.emplace_back(static_cast<float>(px[0]), static_cast<float>(px[1]));
                }
                dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(204, 77, 26, 255), 0, 1.5f);
            }
        ImGui::Render();
        glViewport(0, 0, kWidth, kHeight);
        glClearColor(kBackground[0], kBackground[1], kBackground[2], 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    });
}

}  // namespace

int main() {
    if (!glfwInit()) {
        std::fprintf(stderr, "error: no display (run under xvfb-run)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    glfwWindowHint(GLFW_STENCIL_BITS, 8);
    GLFWwindow* win = glfwCreateWindow(kWidth, kHeight, "bench-render", nullptr, nullptr);
    if (!win) {
        std::fprintf(stderr, "error: cannot create an OpenGL 3.3 window\n");
        return 1;
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(0);
    int code = 0;
    try {
        mp::gui::map::init_gl_loader();
        std::printf("renderer: %s | %s\n", reinterpret_cast<const char*>(glGetString(GL_RENDERER)),
                    reinterpret_cast<const char*>(glGetString(GL_VERSION)));
        ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr;
        ImGui_ImplOpenGL3_Init("#version 330 core");
        MapRenderer renderer;
        mp::geo::Transformer to_display(mp::geo::kWgs84, mp::geo::kWebMercator);

        std::vector<Case> cases;
        for (std::size_t n : {std::size_t{10'000}, std::size_t{100'000}, std::size_t{1'000'000}}) {
            auto prepared = std::make_shared<mp::gui::map::PreparedLayer>(
                mp::gui::map::prepare_layer(synthetic_lines(n, 42), to_display));
            const auto view = view_of(prepared->extent);
            const auto id = renderer.upload(prepared);
            Case c;
            c.vertices = n;
            c.ours = bench_ours(renderer, id, view, true);
            const std::size_t drawn = renderer.stats().line_segments;
            c.ours_full = bench_ours(renderer, id, view, false);
            c.imgui = bench_imgui(*prepared, view);
            std::printf("vertices=%zu (lod draws %zu segments)\n", n, drawn);
            for (auto [name, s] :
                 {std::pair{"ours (LOD)", c.ours}, {"ours (full detail)", c.ours_full}, {"imgui AddPolyline", c.imgui}})
                std::printf("  %-20s cpu median %8.3f ms p99 %8.3f | total median %8.3f ms p99 %8.3f | %d frames\n",
                            name, s.cpu_med, s.cpu_p99, s.total_med, s.total_p99, s.frames);
            std::printf("  ratio imgui/ours total: %.1fx (LOD), %.1fx (full detail)\n",
                        c.imgui.total_med / c.ours.total_med, c.imgui.total_med / c.ours_full.total_med);
            std::fflush(stdout);
            renderer.remove(id);
            cases.push_back(c);
        }

        // The default Belgian view: the embedded data as the map view draws it.
        std::vector<MapRenderer::LayerId> ids;
        mp::gui::map::Extent all;
        for (const auto& l : mp::data::load_default_layers()) {
            auto p = std::make_shared<mp::gui::map::PreparedLayer>(mp::gui::map::prepare_layer(l, to_display));
            all.add(p->extent);
            ids.push_back(renderer.upload(p));
        }
        double x0 = 2.45, y0 = 49.45, x1 = 6.45, y1 = 51.55;
        to_display.forward(x0, y0);
        to_display.forward(x1, y1);
        mp::gui::map::Extent be;
        be.add(x0, y0);
        be.add(x1, y1);
        const auto view = view_of(ids.empty() ? all : be);
        // As the map view styles them: opaque area fills, 2 px lines.
        mp::gui::map::LayerStyle style;
        style.width_px = 2;
        style.fill_opacity = 1.0f;
        const Stats def = measure([&] {
            const auto t0 = Clock::now();
            renderer.begin(view, 0, 0, &kBackground);
            for (auto id : ids) renderer.draw(id, style);
            renderer.end();
            return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        });
        std::printf("default view (%zu layers): cpu median %.3f ms p99 %.3f | total median %.3f ms p99 %.3f\n",
                    ids.size(), def.cpu_med, def.cpu_p99, def.total_med, def.total_p99);
        // Where the default view's time goes: an empty frame (clear), then each layer.
        auto frame_with = [&](const std::vector<MapRenderer::LayerId>& only) {
            return measure(
                       [&] {
                           const auto t0 = Clock::now();
                           renderer.begin(view, 0, 0, &kBackground);
                           for (auto id : only) renderer.draw(id, style);
                           renderer.end();
                           return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                       },
                       20, 3)
                .total_med;
        };
        std::printf("  breakdown: clear only %.2f ms", frame_with({}));
        for (std::size_t i = 0; i < ids.size(); ++i) std::printf(", +layer %zu %.2f ms", i, frame_with({ids[i]}));
        std::printf("\n");
        // The full GUI (panels, labels, overlays, map) on the default view: enablement-gui
        // beside this program, headless on the same display, timing its own frames.
        double gui_ms = -1;
        {
            std::error_code ec;
            const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
            const auto gui = self.parent_path() / "enablement-gui";
            const std::string dump = (std::filesystem::temp_directory_path() / "bench-render-gui.json").string();
            const std::string png = (std::filesystem::temp_directory_path() / "bench-render-gui.png").string();
            if (!ec && std::filesystem::exists(gui)) {
                const std::string cmd = "'" + gui.string() +
                                        "' --no-restore --frames 40 --size 1280x800 --screenshot '" + png +
                                        "' --dump-view '" + dump + "' >/dev/null 2>&1";
                if (std::system(cmd.c_str()) == 0) {
                    std::ifstream in(dump);
                    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
                    const auto at = text.find("\"frame_ms_median\":");
                    if (at != std::string::npos) gui_ms = std::strtod(text.c_str() + at + 18, nullptr);
                }
            }
            if (gui_ms >= 0)
                std::printf("full GUI, default view 1280x800: frame median %.2f ms (enablement-gui)\n", gui_ms);
            else std::printf("full GUI: not measured (no enablement-gui beside bench-render, or it failed)\n");
        }
        const Case& big = cases.back();
        std::printf(
            "RESULT speedup=%.1f speedup_full_detail=%.1f frame_ms_default=%.2f frame_ms_default_p99=%.2f "
            "ours_1m_ms=%.2f ours_full_1m_ms=%.2f imgui_1m_ms=%.2f ours_100k_ms=%.2f imgui_100k_ms=%.2f "
            "ours_10k_ms=%.2f imgui_10k_ms=%.2f gui_frame_ms_default=%.2f\n",
            big.imgui.total_med / big.ours.total_med, big.imgui.total_med / big.ours_full.total_med, def.total_med,
            def.total_p99, big.ours.total_med, big.ours_full.total_med, big.imgui.total_med, cases[1].ours.total_med,
            cases[1].imgui.total_med, cases[0].ours.total_med, cases[0].imgui.total_med, gui_ms);
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        code = 1;
    }
    glfwDestroyWindow(win);
    glfwTerminate();
    return code;
}
