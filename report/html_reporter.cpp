#include "report/html_reporter.hpp"

#include "common/text_file.hpp"
#include "report/json_reporter.hpp"
#include "report/report_data.hpp"
#include "web/web_assets.hpp"

namespace stampede::report {

using nlohmann::json;

namespace {

// Text inside <script> ends at the first "</script": data and code are written so that none
// of theirs can end it (JSON's "<" as \u003c; a script's "</" as "<\/", the same in JS).
std::string json_for_script(const json& data) {
    const auto text = data.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size() + text.size() / 50);
    for (char c : text) {
        if (c == '<') out += "\\u003c";
        else out += c;
    }
    return out;
}

std::string code_for_script(std::string_view code) {
    std::string out(code);
    for (auto at = out.find("</"); at != std::string::npos; at = out.find("</", at + 3)) out.replace(at, 2, "<\\/");
    return out;
}

void put(std::string& page, std::string_view marker, const std::string& text) {
    if (const auto at = page.find(marker); at != std::string::npos) page.replace(at, marker.size(), text);
}

// The report's page around `data` (none: the live page, which fetches it).
std::string report_page(const std::string& data_script, std::string_view extra_js) {
    std::string page(web::report_html);
    put(page, "<!--stampede:style-->", "<style>\n" + std::string(web::uplot_css) + "\n" + std::string(web::report_css) + "</style>");
    put(page, "<!--stampede:data-->", data_script);
    std::string scripts = "<script>\n" + code_for_script(web::uplot_js) + "\n</script>\n<script>\n" +
                          code_for_script(web::page_js) + "\n" + code_for_script(web::service_js) + "\n" +
                          code_for_script(web::report_js) + "\n</script>";
    if (!extra_js.empty()) scripts += "\n<script>\n" + code_for_script(extra_js) + "\n</script>";
    put(page, "<!--stampede:script-->", scripts);
    return page;
}

}  // namespace

common::result<std::string> render_html_report(const json& result) {
    auto data = make_report_data(result);
    if (!data) return data.why();
    return report_page("<script type=\"application/json\" id=\"stampede-data\">" + json_for_script(*data) + "</script>", {});
}

std::string render_live_page() { return report_page({}, web::live_js); }

std::string render_html_comparison(const json& comparison) {
    std::string page(web::compare_html);
    put(page, "<!--stampede:style-->", "<style>\n" + std::string(web::report_css) + "</style>");
    put(page, "<!--stampede:data-->",
        "<script type=\"application/json\" id=\"stampede-data\">" + json_for_script(comparison) + "</script>");
    put(page, "<!--stampede:script-->",
        "<script>\n" + code_for_script(web::page_js) + "\n" + code_for_script(web::compare_js) + "\n</script>");
    return page;
}

common::status write_html_file(const json& result, const std::string& path) {
    auto page = render_html_report(result);
    if (!page) return page.why();
    return common::write_text_file(path, *page);
}

common::status write_html_file(const run_result& result, const std::string& path) {
    return write_html_file(result_document(result), path);
}

}  // namespace stampede::report
