// SPDX-License-Identifier: MIT
#include "app/app.hpp"

#include <GL/glew.h>
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <utility>

#include "map/forms.hpp"
#include "map/gl_util.hpp"
#include "map/labels.hpp"
#include "map/prepare.hpp"
#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/geo/geodesic.hpp"
#include "mp/io/ogr_io.hpp"

#include <nlohmann/json.hpp>

namespace mp::gui {

namespace {

// Legends stay below the north arrow (the top 80 px of the canvas's right side).
constexpr float kLegendTop = 90;

// The default view: mainland Belgium with a little sea and border around it.
constexpr double kBelgiumBox[4] = {2.45, 49.45, 6.45, 51.55};
constexpr std::array<float, 4> kSeaColour{0.86f, 0.91f, 0.95f, 1.0f};
constexpr float kStatusHeight = 24.0f;
// Point layers with more symbols than this in view are drawn smaller and unlabelled.
constexpr std::size_t kDenseSymbols = 400;
// At most about this many symbols of one dense layer are drawn in view (llvmpipe draws
// instances one by one).
constexpr std::size_t kMaxDrawnSymbols = 1500;

void glfw_error(int code, const char* text) { std::fprintf(stderr, "glfw error %d: %s\n", code, text); }

}  // namespace

App::App(Options opts) : m_opts(std::move(opts)) {
    m_headless = !m_opts.screenshot.empty();
    m_scenario_path = m_opts.scenario;
    m_session.set_path(m_opts.scenario);
    m_to_lambert72 = std::make_unique<geo::Transformer>(geo::kWgs84, geo::kLambert72);
}

App::~App() {
    if (m_job) {
        m_job->progress.cancel();
        if (m_job->thread.joinable()) m_job->thread.join();
    }
    m_renderer.reset();
    if (m_window) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
        glfwDestroyWindow(m_window);
    }
    glfwTerminate();
}

// Headless, the Messages panel is also the log (stderr): tests and scripts read it.
// Every message (the Messages panel, stderr) passes here: a source or a plugin message
// that quotes a connection string shows no password.
void App::info(std::string text) {
    text = io::redact_secrets(std::move(text));
    if (m_headless) std::fprintf(stderr, "info: %s\n", text.c_str());
    m_messages.push_back({Message::Level::Info, std::move(text)});
}
void App::warn(std::string text) {
    text = io::redact_secrets(std::move(text));
    if (m_headless) std::fprintf(stderr, "warning: %s\n", text.c_str());
    m_messages.push_back({Message::Level::Warning, std::move(text)});
}
void App::error(std::string text) {
    text = io::redact_secrets(std::move(text));
    std::fprintf(stderr, "error: %s\n", text.c_str());
    m_messages.push_back({Message::Level::Error, std::move(text)});
    m_show_messages = true;
}

void App::init_window() {
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) throw Error("no display: cannot open a window (set DISPLAY, or run under xvfb-run)");
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    glfwWindowHint(GLFW_STENCIL_BITS, 8);
    glfwWindowHint(GLFW_SAMPLES, 0);
    m_window = glfwCreateWindow(m_opts.width, m_opts.height, "enablement: map view", nullptr, nullptr);
    if (!m_window) throw Error("cannot create an OpenGL 3.3 window (is a display with OpenGL available?)");
    glfwMakeContextCurrent(m_window);
    glfwSwapInterval(m_headless ? 0 : 1);
    map::init_gl_loader();

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed; the scenario holds the user's state
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (std::filesystem::exists(font)) io.Fonts->AddFontFromFileTTF(font, 15.0f);
    else io.Fonts->AddFontDefault();
    ImGui::StyleColorsLight();
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0;
    st.FrameRounding = 2;
    ImGui_ImplGlfw_InitForOpenGL(m_window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    m_renderer = std::make_unique<map::MapRenderer>();
}

void App::set_display_crs(const std::string& crs) {
    auto t = std::make_unique<geo::Transformer>(geo::kWgs84, crs);
    // Keep the view centre and ground scale across the change.
    std::optional<std::array<double, 2>> centre;
    if (m_to_display && m_view_initialised) {
        double x = m_view.center_x, y = m_view.center_y;
        m_to_display->inverse(x, y);
        centre = std::array<double, 2>{x, y};
    }
    m_to_display = std::move(t);
    m_display_crs = crs;
    for (auto& l : m_layers) {
        if (l.gpu) m_renderer->remove(l.gpu);
        l.gpu = m_renderer->upload(std::make_shared<map::PreparedLayer>(map::prepare_layer(*l.data, *m_to_display)));
        l.filtered = false;  // movements: prepared again for this CRS (update_movements)
    }
    for (auto& rec : m_runs)
        if (rec.result) upload_rasters(rec);
    if (centre) {
        double x = (*centre)[0], y = (*centre)[1];
        m_to_display->forward(x, y);
        m_view.center_x = x;
        m_view.center_y = y;
    }
    rebuild_selection_highlight();
}

void App::fit_extent_lonlat(double min_lon, double min_lat, double max_lon, double max_lat) {
    std::vector<double> xs{min_lon, max_lon, min_lon, max_lon, (min_lon + max_lon) / 2, (min_lon + max_lon) / 2};
    std::vector<double> ys{min_lat, min_lat, max_lat, max_lat, min_lat, max_lat};
    m_to_display->forward_many(xs, ys);
    map::Extent e;
    for (std::size_t i = 0; i < xs.size(); ++i)
        if (std::isfinite(xs[i]) && std::isfinite(ys[i])) e.add(xs[i], ys[i]);
    m_view.fit(e, 16);
}

void App::fit_default_view() { fit_extent_lonlat(kBelgiumBox[0], kBelgiumBox[1], kBelgiumBox[2], kBelgiumBox[3]); }

int App::run() {
    try {
        init_window();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    try {
        set_display_crs(m_opts.display_crs);
    } catch (const std::exception& e) {
        error(std::string("display CRS: ") + e.what() + "; using EPSG:3857");
        set_display_crs(geo::kWebMercator);
    }
    // Restore: an explicit scenario, else (interactive only) the autosave.
    std::string restore = m_opts.scenario;
    if (restore.empty() && !m_headless && !m_opts.no_restore && std::filesystem::exists(autosave_path()))
        restore = autosave_path();
    if (!restore.empty() && std::filesystem::exists(restore)) {
        open_scenario(restore);
        if (restore == autosave_path()) info("restored the autosave " + restore);
    } else {
        if (!restore.empty()) info("scenario " + restore + " does not exist yet: it will be created on save");
        load_initial_data();
    }
    init_plugins();
    if (const std::string& target = m_opts.run_plugin.empty() ? m_opts.form_plugin : m_opts.run_plugin;
        !target.empty()) {
        for (const auto& kv : m_opts.params) {
            const auto eq = kv.find('=');
            if (eq == std::string::npos) {
                error("--param expects key=value: " + kv);
                continue;
            }
            m_plugin_params[target][kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        push_forms_to_session();
        if (!m_opts.run_plugin.empty()) start_run(m_opts.run_plugin);
    }

    int exit_code = 0;
    // Interactive with --dump-view: the dump is rewritten a few times a second, so an
    // interaction test (xdotool under Xvfb) can find widgets and read the form state.
    auto last_dump = std::chrono::steady_clock::now();
    while (!glfwWindowShouldClose(m_window)) {
        const auto t0 = std::chrono::steady_clock::now();
        glfwPollEvents();
        try {
            frame();
        } catch (const std::exception& e) {
            error(std::string("frame: ") + e.what());
            // Close the windows left open by the throw, so the next frame starts clean.
            if (ImGui::GetCurrentContext() && ImGui::GetCurrentContext()->WithinFrameScope) {
                ImGui::ErrorCheckEndFrameRecover(nullptr);
                ImGui::EndFrame();
            }
        }
        if (!m_pending_png.empty()) {
            if (write_screenshot(m_pending_png, true)) info("wrote " + m_pending_png + " (map only)");
            m_pending_png.clear();
        }
        if (m_headless && !m_job && !m_history_replayed) {
            m_history_replayed = true;
            for (int i = 0; i < m_opts.undo; ++i) undo();
            for (int i = 0; i < m_opts.redo; ++i) redo();
        }
        // Headless runs wait for a plugin run to finish before counting frames.
        if (!m_headless || !m_job) ++m_frame_count;
        if (m_headless && m_frame_count >= std::max(1, m_opts.frames)) {
            if (!m_opts.dump_view.empty()) write_view_dump(m_opts.dump_view);
            if (!m_opts.export_map.empty() && !write_screenshot(m_opts.export_map, true)) m_run_failed = true;
            exit_code = write_screenshot(m_opts.screenshot) ? (m_run_failed ? 4 : 0) : 1;
            break;
        }
        glfwSwapBuffers(m_window);
        m_frame_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (m_headless && !m_job) m_frame_times_ms.push_back(m_frame_ms);
        if (!m_headless) autosave_tick();
        if (!m_headless && !m_opts.dump_view.empty() &&
            std::chrono::steady_clock::now() - last_dump > std::chrono::milliseconds(250)) {
            write_view_dump(m_opts.dump_view);
            last_dump = std::chrono::steady_clock::now();
        }
    }
    if (m_headless && !m_opts.save_scenario.empty()) save_scenario(m_opts.save_scenario);
    if (!m_headless) {
        try {
            if (!m_session.path().empty()) save_scenario(m_session.path());
            sync_view_to_session();
            std::filesystem::create_directories(std::filesystem::path(autosave_path()).parent_path());
            m_writer.write(autosave_path(), m_session.state(), false);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "error: saving on exit: %s\n", e.what());
        }
    }
    return exit_code;
}

void App::frame() {
    poll_run();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    place_headless_cursor();
    ImGui::NewFrame();

    draw_menu_bar();
    // Edits from the menu, the keyboard or a finished run show from here on.
    sync_from_session();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    // Side panels take a fifth of the window each, within readable limits.
    const float kPanelWidth = std::clamp(vp->WorkSize.x * 0.22f, 250.0f, 380.0f);
    const float top = vp->WorkPos.y;
    const float height = vp->WorkSize.y - kStatusHeight;
    const ImGuiWindowFlags panel_flags =
        ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse;

    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, top));
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth, height * 0.55f));
    if (ImGui::Begin("Layers", nullptr, panel_flags)) draw_layers_panel();
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, top + height * 0.55f));
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth, height * 0.45f));
    if (ImGui::Begin("Inspector", nullptr, panel_flags)) draw_inspector_panel();
    ImGui::End();

    const float right_x = vp->WorkPos.x + vp->WorkSize.x - kPanelWidth;
    const float msg_h = m_show_messages ? height * 0.2f : 0.0f;
    // Until there are results, the plugin forms take most of the column.
    const float forms_share = m_runs.empty() ? 0.72f : 0.5f;
    ImGui::SetNextWindowPos(ImVec2(right_x, top));
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth, (height - msg_h) * forms_share));
    if (ImGui::Begin("Plugins", nullptr, panel_flags)) draw_plugins_panel();
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(right_x, top + (height - msg_h) * forms_share));
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth, (height - msg_h) * (1 - forms_share)));
    if (ImGui::Begin("Results", nullptr, panel_flags)) draw_results_panel();
    ImGui::End();
    if (m_show_messages) {
        ImGui::SetNextWindowPos(ImVec2(right_x, top + height - msg_h));
        ImGui::SetNextWindowSize(ImVec2(kPanelWidth, msg_h));
        if (ImGui::Begin("Messages", &m_show_messages, panel_flags)) draw_messages();
        ImGui::End();
    }

    m_canvas = {vp->WorkPos.x + kPanelWidth, top, std::max(1.0f, vp->WorkSize.x - 2 * kPanelWidth),
                std::max(1.0f, height)};
    draw_map_canvas();
    draw_chart_window();
    draw_status_bar();
    push_forms_to_session();
    // A slider let go or a text field left: the next edit is an undo step of its own.
    if (!ImGui::IsAnyItemActive()) m_session.end_merge();
    update_window_title();
    update_movements();

    ImGui::Render();
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(m_window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(0.94f, 0.94f, 0.94f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    render_map(fb_w, fb_h);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void App::render_map(int fb_width, int fb_height) {
    const auto t0 = std::chrono::steady_clock::now();
    const ImGuiIO& io = ImGui::GetIO();
    const float sx = io.DisplaySize.x > 0 ? fb_width / io.DisplaySize.x : 1.0f;
    const float sy = io.DisplaySize.y > 0 ? fb_height / io.DisplaySize.y : 1.0f;
    // The view is kept in window units; on HiDPI framebuffers scale it to pixels.
    map::ViewTransform v = m_view;
    v.width_px = std::max(1, static_cast<int>(std::lround(m_canvas[2] * sx)));
    v.height_px = std::max(1, static_cast<int>(std::lround(m_canvas[3] * sy)));
    v.units_per_pixel = m_view.units_per_pixel / sx;
    const int x = static_cast<int>(std::lround(m_canvas[0] * sx));
    const int y_bottom = fb_height - static_cast<int>(std::lround((m_canvas[1] + m_canvas[3]) * sy));
    m_renderer->begin(v, x, y_bottom, &kSeaColour);
    // Result rasters go over the data and under the result layers.
    auto draw_rasters = [&] {
        for (const auto& rec : m_runs)
            for (const auto& o : rec.rasters)
                if (o.visible && o.gpu) m_renderer->draw_raster(o.gpu, o.opacity);
    };
    bool rasters_drawn = false;
    for (const auto& l : m_layers) {
        if (l.result && !rasters_drawn) draw_rasters(), rasters_drawn = true;
        const map::MapRenderer::LayerId gpu = drawn_gpu(l);
        if (!l.visible || !gpu) continue;
        if (l.casing) {
            // Highlighted results: a white casing under the line, no symbols twice.
            map::LayerStyle casing = l.style;
            casing.stroke = {1, 1, 1, 1};
            casing.width_px = l.style.width_px + 4;
            casing.fill_opacity = 0;
            casing.symbol_size_px = 0;
            m_renderer->draw(gpu, casing);
        }
        if (l.dense) {
            map::LayerStyle st = l.style;
            st.symbol_size_px = l.draw_symbol_px;
            st.max_symbols = l.max_symbols;
            m_renderer->draw(gpu, st);
        } else {
            m_renderer->draw(gpu, l.style);
        }
    }
    if (!rasters_drawn) draw_rasters();
    if (m_sel_gpu) {
        map::LayerStyle hl;
        hl.stroke = {1.0f, 0.85f, 0.0f, 1.0f};
        hl.fill = {1.0f, 0.9f, 0.2f, 1.0f};
        hl.fill_opacity = 0.3f;
        hl.width_px = 5.0f;
        hl.opacity = 0.85f;
        // Points: a ring around the symbol, larger than any symbol.
        hl.symbol_size_px = 52.0f;
        hl.ring = true;
        m_renderer->draw(m_sel_gpu, hl);
    }
    m_renderer->end();
    m_map_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void App::draw_map_canvas() {
    ImGui::SetNextWindowPos(ImVec2(m_canvas[0], m_canvas[1]));
    ImGui::SetNextWindowSize(ImVec2(m_canvas[2], m_canvas[3]));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::Begin("##map", nullptr, flags);
    const std::array<float, 2> origin{m_canvas[0], m_canvas[1]};
    m_view.width_px = std::max(1, static_cast<int>(m_canvas[2]));
    m_view.height_px = std::max(1, static_cast<int>(m_canvas[3]));
    if (!m_view_initialised) {
        fit_default_view();
        m_view_initialised = true;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin[0], origin[1]));
    ImGui::InvisibleButton("##canvas", ImVec2(m_canvas[2], m_canvas[3]),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    handle_map_input(origin, ImGui::IsItemHovered());
    update_cursor_readout();
    draw_map_overlays(origin);
    draw_cursor_tooltip();
    ImGui::End();
    ImGui::PopStyleVar(2);
}

void App::handle_map_input(const std::array<float, 2>& origin, bool hovered) {
    ImGuiIO& io = ImGui::GetIO();
    const double mx = io.MousePos.x - origin[0], my = io.MousePos.y - origin[1];
    m_cursor_lonlat.reset();
    if (hovered) {
        auto d = m_view.to_display(mx, my);
        try {
            double x = d[0], y = d[1];
            m_to_display->inverse(x, y);
            m_cursor_lonlat = std::array<double, 2>{x, y};
            m_cursor_mgrs = format_mgrs(x, y);
            double lx = x, ly = y;
            m_to_lambert72->forward(lx, ly);
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.0f E %.0f N", lx, ly);
            m_cursor_lambert = buf;
        } catch (const std::exception&) {
            m_cursor_mgrs.clear();
            m_cursor_lambert.clear();
        }
        if (io.MouseWheel != 0) m_view.zoom_about(mx, my, std::pow(1.25, io.MouseWheel));
    }
    if (ImGui::IsItemActivated()) {
        m_press_pos = {io.MousePos.x, io.MousePos.y};
        m_dragging = false;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 3.0f)) {
        m_dragging = true;
        m_view.pan_pixels(io.MouseDelta.x, io.MouseDelta.y);
    }
    if (ImGui::IsItemDeactivated() && !m_dragging && hovered) {
        // A click: fills a plugin parameter being picked, else selects the topmost
        // feature within 6 pixels.
        const auto at = m_view.to_display(mx, my);
        if (pick_for_plugin(at[0], at[1])) return;
        const double tol = 6 * m_view.units_per_pixel;
        bool found = false;
        for (int i = static_cast<int>(m_layers.size()) - 1; i >= 0 && !found; --i) {
            const auto& l = m_layers[static_cast<std::size_t>(i)];
            if (!l.visible) continue;
            const auto* p = m_renderer->prepared(drawn_gpu(l));
            if (!p) continue;
            // Symbols are larger than their point: use half the symbol size.
            const double t =
                p->symbols.empty() ? tol : std::max(tol, 0.5 * l.style.symbol_size_px * m_view.units_per_pixel);
            const long f = map::pick_feature(*p, {at[0], at[1]}, t);
            if (f >= 0) {
                select_feature(i, static_cast<long>(data_index(l, static_cast<std::size_t>(f))));
                found = true;
            }
        }
        if (!found) select_feature(-1, -1);
    }
    // Keys (when no text field has focus): +/- zoom about the centre, arrows pan, Home
    // fits Belgium. ImGui 1.86 indexes keys by GLFW key code.
    if (!io.WantTextInput) {
        const double cx = m_view.width_px * 0.5, cy = m_view.height_px * 0.5;
        if (ImGui::IsKeyPressed(GLFW_KEY_KP_ADD) || ImGui::IsKeyPressed(GLFW_KEY_EQUAL)) m_view.zoom_about(cx, cy, 1.5);
        if (ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT) || ImGui::IsKeyPressed(GLFW_KEY_MINUS))
            m_view.zoom_about(cx, cy, 1 / 1.5);
        if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) m_view.pan_pixels(60, 0);
        if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) m_view.pan_pixels(-60, 0);
        if (ImGui::IsKeyPressed(GLFW_KEY_UP)) m_view.pan_pixels(0, 60);
        if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) m_view.pan_pixels(0, -60);
        if (ImGui::IsKeyPressed(GLFW_KEY_HOME)) fit_default_view();
    }
}

void App::draw_map_overlays(const std::array<float, 2>& origin) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o(origin[0], origin[1]);
    const float w = static_cast<float>(m_view.width_px), h = static_cast<float>(m_view.height_px);
    dl->PushClipRect(o, ImVec2(o.x + w, o.y + h), true);

    // Dense point layers (an OSM extract's points) shrink with their visible count and
    // lose their labels, so thousands of symbols do not cover the map.
    const map::Extent vis = m_view.visible();
    for (auto& l : m_layers) {
        l.draw_symbol_px = l.style.symbol_size_px;
        l.dense = false;
        l.max_symbols = static_cast<std::size_t>(-1);
        const auto* p = m_renderer->prepared(drawn_gpu(l));
        if (!l.visible || !p || p->symbols.size() / 3 < kDenseSymbols) continue;
        std::size_t n = 0;
        for (std::size_t s = 0; s + 2 < p->symbols.size(); s += 3) {
            const double x = p->symbols[s] + p->origin_x, y = p->symbols[s + 1] + p->origin_y;
            n += x >= vis.min_x && x <= vis.max_x && y >= vis.min_y && y <= vis.max_y;
        }
        if (n > kDenseSymbols) {
            l.dense = true;
            l.draw_symbol_px = std::max(
                5.0f, l.style.symbol_size_px * std::sqrt(static_cast<float>(kDenseSymbols) / static_cast<float>(n)));
            // Thin to about kMaxDrawnSymbols in view: the symbols' prefixes are spread
            // evenly (map::prepare_layer), so a prefix keeps the layer's pattern.
            const std::size_t total = p->symbols.size() / 3;
            l.max_symbols =
                n > kMaxDrawnSymbols ? std::max<std::size_t>(kMaxDrawnSymbols, kMaxDrawnSymbols * total / n) : total;
        }
    }

    // Boxes labels keep clear of: scale bar (bottom left), north arrow (top right) and
    // the raster legends (bottom right).
    std::vector<std::array<float, 4>> obstacles{{0, h - 52, 260, h}, {w - 70, 0, w, 80}};
    {
        const std::array<float, 2> legends = raster_legends_size(w, h);
        if (legends[1] > 0) obstacles.push_back({w - 10 - legends[0], h - 10 - legends[1], w, h});
    }

    // Labels: gathered from every visible layer with labels on, placed without overlap.
    std::vector<map::LabelRequest> req;
    std::vector<std::string> texts;
    for (const auto& l : m_layers) {
        if (!l.visible || !l.labels || l.label_field.empty() || l.dense) continue;
        const auto* p = m_renderer->prepared(drawn_gpu(l));
        if (!p) continue;
        auto add = [&](double x, double y, std::size_t feature, float clearance, int priority) {
            if (x < vis.min_x || x > vis.max_x || y < vis.min_y || y > vis.max_y) return;
            std::string t = l.data->features[data_index(l, feature)].attributes.text(l.label_field);
            if (t.empty()) return;
            const auto px = m_view.to_pixel(x, y);
            const ImVec2 sz = ImGui::CalcTextSize(t.c_str());
            // Result points (origin, transfers, destination, utilisation) must all show.
            req.push_back({px[0], px[1], sz.x, sz.y, clearance, priority, l.result && !p->symbols.empty()});
            texts.push_back(std::move(t));
        };
        if (!p->symbols.empty()) {
            // Result points (transfers, utilisation) are what the planner asked for: first.
            // One label per feature (a multipoint relation would repeat its name at every point).
            std::vector<char> labelled(p->features.size(), 0);
            for (std::size_t s = 0; s < p->symbol_feature.size(); ++s) {
                const double x = p->symbols[3 * s] + p->origin_x, y = p->symbols[3 * s + 1] + p->origin_y;
                if (x < vis.min_x || x > vis.max_x || y < vis.min_y || y > vis.max_y) continue;
                if (std::exchange(labelled[p->symbol_feature[s]], 1)) continue;
                add(x, y, p->symbol_feature[s], 0.5f * l.draw_symbol_px,
                    l.result                    ? 3
                    : p->symbols[3 * s + 2] > 0 ? 2
                                                : 1);
            }
        } else {
            for (std::size_t f = 0; f < p->features.size(); ++f) {
                const auto& e = p->features[f].extent;
                if (e.empty()) continue;
                // Only label features that are big enough on screen to carry a label.
                if (std::max(e.max_x - e.min_x, e.max_y - e.min_y) < 60 * m_view.units_per_pixel) continue;
                add((e.min_x + e.max_x) / 2, (e.min_y + e.max_y) / 2, f, 2.0f, 0);
            }
        }
    }
    const auto placed = map::place_labels(req, m_view.width_px, m_view.height_px, obstacles);
    for (std::size_t i = 0; i < placed.size(); ++i) {
        if (!placed[i].placed) continue;
        const ImVec2 p(o.x + placed[i].x, o.y + placed[i].y);
        // A white halo keeps labels readable over any layer.
        // (four diagonal copies: half the glyphs of a full 8-neighbour halo, which costs
        // milliseconds a frame on llvmpipe, and as legible at 1 px)
        for (const auto& [dx, dy] : {std::pair{-1, -1}, {1, -1}, {-1, 1}, {1, 1}})
            dl->AddText(ImVec2(p.x + static_cast<float>(dx), p.y + static_cast<float>(dy)),
                        IM_COL32(255, 255, 255, 230), texts[i].c_str());
        dl->AddText(p, IM_COL32(20, 20, 20, 255), texts[i].c_str());
    }

    // Scale bar: ground distance between two canvas points, geodesic on WGS84.
    try {
        const float bx = o.x + 16, by = o.y + h - 24;
        auto ground = [&](double px0, double px1, double py) {
            auto a = m_view.to_display(px0, py), b = m_view.to_display(px1, py);
            double ax = a[0], ay = a[1], bx2 = b[0], by2 = b[1];
            m_to_display->inverse(ax, ay);
            m_to_display->inverse(bx2, by2);
            return geo::distance_m(geo::lonlat(ax, ay), geo::lonlat(bx2, by2));
        };
        const double per_px = ground(16, 116, h - 24) / 100.0;
        const double target = per_px * 150;
        double step = std::pow(10.0, std::floor(std::log10(target)));
        for (double m : {5.0, 2.0, 1.0})
            if (m * step <= target) {
                step *= m;
                break;
            }
        const float len = static_cast<float>(step / per_px);
        dl->AddRectFilled(ImVec2(bx - 6, by - 18), ImVec2(bx + len + 40, by + 10), IM_COL32(255, 255, 255, 200), 3);
        dl->AddRectFilled(ImVec2(bx, by), ImVec2(bx + len / 2, by + 5), IM_COL32(0, 0, 0, 255));
        dl->AddRectFilled(ImVec2(bx + len / 2, by), ImVec2(bx + len, by + 5), IM_COL32(255, 255, 255, 255));
        dl->AddRect(ImVec2(bx, by), ImVec2(bx + len, by + 5), IM_COL32(0, 0, 0, 255));
        char buf[32];
        if (step >= 1000) std::snprintf(buf, sizeof buf, "%g km", step / 1000);
        else std::snprintf(buf, sizeof buf, "%g m", step);
        dl->AddText(ImVec2(bx, by - 17), IM_COL32(0, 0, 0, 255), buf);
    } catch (const std::exception&) {
        // Outside the CRS's domain: no scale bar rather than a wrong one.
    }

    // North arrow: the direction of true north at its own position on the map.
    try {
        const ImVec2 c(o.x + w - 34, o.y + 44);
        auto d = m_view.to_display(c.x - o.x, c.y - o.y);
        double lonv = d[0], latv = d[1];
        m_to_display->inverse(lonv, latv);
        double nx = lonv, ny = std::min(89.0, latv + 0.01);
        m_to_display->forward(nx, ny);
        const auto pn = m_view.to_pixel(nx, ny);
        float vx = static_cast<float>(pn[0] - (c.x - o.x)), vy = static_cast<float>(pn[1] - (c.y - o.y));
        const float n = std::sqrt(vx * vx + vy * vy);
        if (n > 0) vx /= n, vy /= n;
        const ImVec2 tip(c.x + vx * 20, c.y + vy * 20), tail(c.x - vx * 14, c.y - vy * 14);
        const ImVec2 left(c.x - vy * 9, c.y + vx * 9), right(c.x + vy * 9, c.y - vx * 9);
        dl->AddCircleFilled(c, 27, IM_COL32(255, 255, 255, 200));
        dl->AddTriangleFilled(tip, left, tail, IM_COL32(20, 20, 20, 255));
        dl->AddTriangleFilled(tip, tail, right, IM_COL32(120, 120, 120, 255));
        dl->AddText(ImVec2(tip.x - 4 + vx * 2, tip.y - 16 + vy * 2), IM_COL32(0, 0, 0, 255), "N");
    } catch (const std::exception&) {
    }
    draw_raster_legend(dl, o.x, o.x + w - 10, o.y + h - 10, o.y + kLegendTop);
    dl->PopClipRect();
}

namespace {

// A legend box: title, then a ramp with its ends and note, or one swatch per class.
constexpr float kLegendPad = 8, kLegendRamp = 14, kLegendGap = 6;

float legend_width(const map::RasterLegend& lg) {
    float w = std::max(160.0f, ImGui::CalcTextSize(lg.title.c_str()).x);
    for (const auto& e : lg.entries) w = std::max(w, 18 + ImGui::CalcTextSize(e.label.c_str()).x);
    if (lg.ramp) w = std::max(w, ImGui::CalcTextSize((lg.low + "  " + lg.note + "  " + lg.high).c_str()).x);
    else if (!lg.note.empty()) w = std::max(w, ImGui::CalcTextSize(lg.note.c_str()).x);
    return std::min(w, 320.0f) + 2 * kLegendPad;
}

float legend_height(const map::RasterLegend& lg) {
    const float lh = ImGui::GetTextLineHeight();
    if (lg.ramp) return 4 + lh + 4 + kLegendRamp + 2 + lh + 4;
    const float rows = static_cast<float>(lg.entries.size() + (lg.more ? 1 : 0) + (lg.note.empty() ? 0 : 1));
    return 4 + lh + 4 + rows * (lh + 3) + 4;
}

}  // namespace

std::vector<std::array<float, 4>> App::raster_legend_boxes(float left, float right, float bottom, float top) const {
    // Stacked upwards from the bottom-right corner; a legend that would reach above `top`
    // starts a new column to the left (a run with a dozen rasters stays on the canvas),
    // and one over the scale bar (the bottom-left 260 x 52 px) starts above it.
    std::vector<std::array<float, 4>> boxes;
    float col_right = right, y = bottom, col_w = 0;
    for (const auto& rec : m_runs)
        for (const auto& o : rec.rasters) {
            if (!o.visible || !o.gpu) continue;
            const float bw = legend_width(o.legend), bh = legend_height(o.legend);
            if (y - bh < top && y < bottom) {
                col_right -= col_w + kLegendGap;
                y = bottom, col_w = 0;
            }
            if (col_right - bw < left + 270) y = std::min(y, bottom - 46);
            boxes.push_back({col_right - bw, y - bh, col_right, y});
            col_w = std::max(col_w, bw);
            y -= bh + kLegendGap;
        }
    return boxes;
}

std::array<float, 2> App::raster_legends_size(float canvas_w, float canvas_h) const {
    float x0 = canvas_w - 10, y0 = canvas_h - 10;
    for (const auto& b : raster_legend_boxes(0, canvas_w - 10, canvas_h - 10, kLegendTop))
        x0 = std::min(x0, b[0]), y0 = std::min(y0, b[1]);
    return {canvas_w - 10 - x0, canvas_h - 10 - y0};
}

void App::draw_raster_legend(ImDrawList* dl, float left, float right, float bottom, float top) {
    // One legend per visible raster (raster_legend_boxes); what it says comes from
    // map::raster_legend (the raster's role, unit and view).
    const ImU32 ink = IM_COL32(20, 20, 20, 255);
    const float lh = ImGui::GetTextLineHeight();
    const std::vector<std::array<float, 4>> boxes = raster_legend_boxes(left, right, bottom, top);
    m_legend_boxes = boxes;
    std::size_t next = 0;
    for (const auto& rec : m_runs)
        for (const auto& o : rec.rasters) {
            if (!o.visible || !o.gpu || next >= boxes.size()) continue;
            const map::RasterLegend& lg = o.legend;
            const auto& box = boxes[next++];
            const ImVec2 a(box[0], box[1]), b(box[2], box[3]);
            dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 225), 3);
            dl->AddRect(a, b, IM_COL32(120, 120, 120, 255), 3);
            const float x0 = a.x + kLegendPad, x1 = b.x - kLegendPad;
            dl->PushClipRect(a, b, true);
            dl->AddText(ImVec2(x0, a.y + 4), ink, lg.title.c_str());
            float y = a.y + 4 + lh + 4;
            auto u32 = [&](const std::array<float, 4>& c) {
                return ImGui::ColorConvertFloat4ToU32(ImVec4(c[0], c[1], c[2], std::max(o.opacity, 0.35f)));
            };
            if (lg.ramp) {
                constexpr int kSteps = 32;
                for (int k = 0; k < kSteps; ++k) {
                    const auto c0 = map::raster_ramp(static_cast<double>(k) / kSteps);
                    const auto c1 = map::raster_ramp(static_cast<double>(k + 1) / kSteps);
                    const float s0 = x0 + (x1 - x0) * k / kSteps, s1 = x0 + (x1 - x0) * (k + 1) / kSteps;
                    dl->AddRectFilledMultiColor(ImVec2(s0, y), ImVec2(s1, y + kLegendRamp), u32(c0), u32(c1), u32(c1),
                                                u32(c0));
                }
                dl->AddRect(ImVec2(x0, y), ImVec2(x1, y + kLegendRamp), IM_COL32(80, 80, 80, 255));
                y += kLegendRamp + 2;
                dl->AddText(ImVec2(x0, y), ink, lg.low.c_str());
                dl->AddText(ImVec2(x1 - ImGui::CalcTextSize(lg.high.c_str()).x, y), ink, lg.high.c_str());
                if (!lg.note.empty())
                    dl->AddText(ImVec2((x0 + x1) / 2 - ImGui::CalcTextSize(lg.note.c_str()).x / 2, y),
                                IM_COL32(90, 90, 90, 255), lg.note.c_str());
            } else {
                for (const auto& e : lg.entries) {
                    dl->AddRectFilled(ImVec2(x0, y + 2), ImVec2(x0 + 12, y + lh - 1), u32(e.colour));
                    dl->AddRect(ImVec2(x0, y + 2), ImVec2(x0 + 12, y + lh - 1), IM_COL32(80, 80, 80, 255));
                    dl->AddText(ImVec2(x0 + 18, y), ink, e.label.c_str());
                    y += lh + 3;
                }
                if (lg.more) {
                    dl->AddText(ImVec2(x0, y), IM_COL32(90, 90, 90, 255),
                                ("... " + std::to_string(lg.more) + " more").c_str());
                    y += lh + 3;
                }
                if (!lg.note.empty()) dl->AddText(ImVec2(x0, y), IM_COL32(90, 90, 90, 255), lg.note.c_str());
            }
            dl->PopClipRect();
        }
}

void App::select_feature(int layer, long feature) {
    m_sel_layer = layer;
    m_sel_feature = feature;
    rebuild_selection_highlight();
}

void App::rebuild_selection_highlight() {
    if (m_sel_gpu) m_renderer->remove(m_sel_gpu);
    m_sel_gpu = 0;
    if (m_sel_layer < 0 || m_sel_feature < 0 || m_sel_layer >= static_cast<int>(m_layers.size())) return;
    const auto& l = *m_layers[static_cast<std::size_t>(m_sel_layer)].data;
    if (m_sel_feature >= static_cast<long>(l.features.size())) return;
    layer::Layer one;
    one.name = "selection";
    layer::Feature f;
    f.geometry = l.features[static_cast<std::size_t>(m_sel_feature)].geometry;  // no "kind": drawn as a dot
    one.features.push_back(std::move(f));
    m_sel_gpu = m_renderer->upload(std::make_shared<map::PreparedLayer>(map::prepare_layer(one, *m_to_display)));
}

}  // namespace mp::gui
